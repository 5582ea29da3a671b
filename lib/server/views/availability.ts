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

export interface MetricAvailability {
  status: "ok" | "unavailable" | "error" | "pending";
  reason: string | null;
  lastSampleAt: string | null;
  intervalMs: number | null;
}

/**
 * Per metric: the snapshot's latest result, else the store's last status (after a restart),
 * else "pending" for a task that is scheduled but has not reported yet.
 */
export function availabilityMap(
  latest: Record<string, MetricResult>,
  taskIds: readonly string[],
  stored: readonly (StoredStatus & { updatedAt?: Date })[],
): Record<string, MetricAvailability> {
  const out: Record<string, MetricAvailability> = {};
  for (const id of taskIds) out[id] = { status: "pending", reason: null, lastSampleAt: null, intervalMs: null };
  for (const s of stored) {
    out[s.metric] = {
      status: s.status,
      reason: s.status === "unavailable" ? prefix(s.reason ?? "not collected on this target") : s.reason,
      lastSampleAt: s.status === "ok" && s.updatedAt ? s.updatedAt.toISOString() : null,
      intervalMs: null,
    };
  }
  for (const [id, r] of Object.entries(latest)) {
    out[id] = {
      status: r.status,
      reason: r.status === "unavailable" ? prefix(r.reason) : r.status === "error" ? r.error : null,
      lastSampleAt: r.status === "ok" ? r.ts.toISOString() : (out[id]?.lastSampleAt ?? null),
      intervalMs: null,
    };
  }
  return out;
}
