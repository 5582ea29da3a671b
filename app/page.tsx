import type { Metadata } from "next";
import { parseOverviewParams } from "@/lib/api/search-params";
import { OverviewClient } from "./client";

// The root layout's "%s · pgpulse" template applies to child segments only, not to its own page.
export const metadata: Metadata = { title: { absolute: "Overview · pgpulse" } };

// The fleet page: URL state parsed here, everything else fetched and refreshed by the island.
export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <OverviewClient initial={parseOverviewParams(await searchParams)} />;
}
