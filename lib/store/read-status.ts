import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { many } from "@/lib/db/query";
import type { MetricStatusRow } from "./types";

// Each metric's last outcome per target (metric_status): ok, unavailable and why, or failing.

const statusRow = z.object({
  metric: z.string(),
  status: z.enum(["ok", "unavailable", "error"]),
  reason: z.string().nullable(),
  since: z.date(),
  updated_at: z.date(),
  error_count: z.number(),
});

export async function metricStatus(pool: Pool, targetId: string): Promise<MetricStatusRow[]> {
  const rows = await many(
    pool,
    statusRow,
    "SELECT metric, status, reason, since, updated_at, error_count FROM pgpulse.metric_status WHERE target_id = $1 ORDER BY metric",
    [targetId],
    "metric status",
  );
  return rows.map((r) => ({ metric: r.metric, status: r.status, reason: r.reason, since: r.since, updatedAt: r.updated_at, errorCount: r.error_count }));
}
