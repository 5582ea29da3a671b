import type { Metadata } from "next";
import { parseTrendsParams } from "@/lib/trends/params";
import { TrendsClient } from "./client";

export const metadata: Metadata = { title: "Weekly trends" };

// The weekly page for leads: URL state parsed here, the figures fetched by the island.
export default async function TrendsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <TrendsClient initial={parseTrendsParams(await searchParams)} />;
}
