import type { Metadata } from "next";
import { parseAlertsParams } from "@/lib/api/search-params";
import { AlertsClient } from "./client";

export const metadata: Metadata = { title: "Alerts" };

// The on-call page: what fires now, silences, MTTA/MTTR, and the filtered history.
export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <AlertsClient initial={parseAlertsParams(await searchParams)} />;
}
