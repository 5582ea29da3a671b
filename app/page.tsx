import type { Metadata } from "next";
import { parseOverviewParams } from "@/lib/api/search-params";
import { OverviewClient } from "./client";

export const metadata: Metadata = { title: "Overview" };

// The fleet page: URL state parsed here, everything else fetched and refreshed by the island.
export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <OverviewClient initial={parseOverviewParams(await searchParams)} />;
}
