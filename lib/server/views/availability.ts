import type { MetricResult } from "@/lib/metrics/types";

// "unavailable: reason" for a panel: the metric's latest result in the collector's snapshot
// when there is one, else its last recorded status in the store (after a restart the snapshot
// is empty until the metric's first run). An error is not "unavailable": the panel keeps the
// last good data and shows it as stale.

export interface StoredStatus {
  metric: string;
  status: "ok" | "unavailable" | "error";
  reason: string | null;
}

export function unavailableReason(latest: MetricResult | undefined, stored: readonly StoredStatus[] | null, metric: string): string | null {
  if (latest) return latest.status === "unavailable" ? prefix(latest.reason) : null;
  const s = stored?.find((x) => x.metric === metric);
  return s?.status === "unavailable" ? prefix(s.reason ?? "not collected on this target") : null;
}

const prefix = (reason: string) => (reason.startsWith("unavailable") ? reason : `unavailable: ${reason}`);
