import { z } from "zod";
import { clampStepSeconds, MAX_RANGE_MS, RANGE_MS } from "@/lib/limits";
import { LIVE_DEFAULT_WINDOW } from "./search-params";
import { cadenceMsSchema, isoTime, nameParam, pointsSchema } from "./common";

// GET /api/targets/{id}/series?metric&from&to&step → one series, aligned to step buckets.

export const SERIES_METRICS = [
  "tps",
  "commits_per_second",
  "rollbacks_per_second",
  "cache_hit_ratio",
  "connections_total",
  "connections_active",
  "connections_idle_in_transaction",
  "connections_waiting_lock",
  "longest_query_seconds",
  "deadlocks_per_second",
  "rows_inserted_per_second",
  "rows_updated_per_second",
  "rows_deleted_per_second",
  "database_size_bytes",
  "slow_queries_per_minute",
  "connection_saturation",
  "replay_lag_seconds",
  "replay_bytes_behind",
  "standby_replay_delay_seconds",
  "wal_bytes_per_second",
] as const;

export const seriesMetricSchema = z.enum(SERIES_METRICS);
export type SeriesMetric = z.infer<typeof seriesMetricSchema>;

export const seriesUnitSchema = z.enum(["per_second", "percent", "count", "seconds", "bytes", "per_minute", "ratio", "bytes_per_second"]);
export type SeriesUnit = z.infer<typeof seriesUnitSchema>;

/** The unit each metric is served in; cache_hit_ratio is a percent (0–100), saturation 0–1. */
export const SERIES_UNITS: Record<SeriesMetric, SeriesUnit> = {
  tps: "per_second",
  commits_per_second: "per_second",
  rollbacks_per_second: "per_second",
  cache_hit_ratio: "percent",
  connections_total: "count",
  connections_active: "count",
  connections_idle_in_transaction: "count",
  connections_waiting_lock: "count",
  longest_query_seconds: "seconds",
  deadlocks_per_second: "per_second",
  rows_inserted_per_second: "per_second",
  rows_updated_per_second: "per_second",
  rows_deleted_per_second: "per_second",
  database_size_bytes: "bytes",
  slow_queries_per_minute: "per_minute",
  connection_saturation: "ratio",
  replay_lag_seconds: "seconds",
  replay_bytes_behind: "bytes",
  standby_replay_delay_seconds: "seconds",
  wal_bytes_per_second: "bytes_per_second",
};

/**
 * Query parameters; `step` in seconds, optional (the server picks one from the range). Without
 * `from`/`to` the range is the pages' default window ending now, so a bare URL still answers.
 */
export const seriesQuerySchema = z
  .object({
    metric: seriesMetricSchema,
    from: isoTime.optional(),
    to: isoTime.optional(),
    step: z.coerce.number().int().positive().optional(),
    database: nameParam(63).optional(),
    /** A standby's application_name, for the per-standby series (replay_lag_seconds, replay_bytes_behind). */
    standby: nameParam(63).optional(),
  })
  .transform((q, ctx) => {
    // The clock is read per request, never at import.
    const to = q.to ? Date.parse(q.to) : Date.now();
    const asked = q.from ? Date.parse(q.from) : to - RANGE_MS[LIVE_DEFAULT_WINDOW];
    if (asked >= to) {
      ctx.addIssue({ code: "custom", message: "from must be before to", path: ["from"] });
      return z.NEVER;
    }
    // Clamp rather than refuse: a shared URL with a long range still answers.
    const from = Math.max(asked, to - MAX_RANGE_MS);
    const rangeMs = to - from;
    return {
      ...q,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      step: clampStepSeconds(q.step ?? 0, rangeMs),
    };
  });
export type SeriesQuery = z.output<typeof seriesQuerySchema>;

export const seriesResponseSchema = z.object({
  metric: seriesMetricSchema,
  unit: seriesUnitSchema,
  step: z.number().int().positive().optional(),
  points: pointsSchema,
  /** The cadence of the metric the series is derived from. */
  cadenceMs: cadenceMsSchema,
  /** Set when the metric cannot be collected on this target (e.g. missing extension). */
  unavailable: z.string().nullable().optional(),
});
export type SeriesResponse = z.infer<typeof seriesResponseSchema>;

export function seriesUrl(targetId: string, metric: SeriesMetric, from: Date, to: Date, step?: number, standby?: string): string {
  const p = new URLSearchParams({ metric, from: from.toISOString(), to: to.toISOString() });
  if (step) p.set("step", String(step));
  if (standby !== undefined) p.set("standby", standby);
  return `/api/targets/${encodeURIComponent(targetId)}/series?${p}`;
}
