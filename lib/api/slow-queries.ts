import { z } from "zod";
import { isoTime, nullableIso, nullableNumber, pointsSchema, unavailableSchema } from "./common";

// GET /api/targets/{id}/slow-queries?from&to — slow statements grouped by fingerprint over the
// range, plus the statements running over the threshold right now.

export const slowSourceSchema = z.enum(["slow_query_log", "pg_stat_statements", "running"]);
export type SlowSource = z.infer<typeof slowSourceSchema>;

export const slowGroupSchema = z.object({
  fingerprint: z.string(),
  /** Observations: stored events (a log row, a running capture, a statistics window) in the range. */
  count: z.number().int(),
  /**
   * Executions counted by pg_stat_statements (Σ of its per-window call deltas) in the windows
   * where the group was recorded; null when no such window is in the range (a log row or a
   * running capture cannot be added without counting an execution twice).
   */
  calls: z.number().int().nonnegative().nullable(),
  meanMs: nullableNumber,
  p95Ms: nullableNumber,
  maxMs: nullableNumber,
  totalMs: nullableNumber,
  /** This group's share of the total time of all groups in the range, 0–1. */
  totalShare: nullableNumber,
  firstSeen: nullableIso,
  lastSeen: nullableIso,
  sources: z.array(slowSourceSchema),
  /** Redacted per role on the server. */
  example: z.string().nullable(),
  /** Occurrences per bucket over the range, for the sparkline. */
  occurrences: pointsSchema,
});
export type SlowGroup = z.infer<typeof slowGroupSchema>;

export const runningSlowSchema = z.object({
  pid: z.number().int(),
  fingerprint: z.string().nullable(),
  user: z.string().nullable(),
  application: z.string().nullable(),
  durationMs: nullableNumber,
  query: z.string().nullable(),
});
export type RunningSlow = z.infer<typeof runningSlowSchema>;

export const slowQueriesResponseSchema = z.object({
  targetId: z.string(),
  from: isoTime,
  to: isoTime,
  thresholdMs: z.number(),
  /** null when at least one source works; else e.g. "pg_stat_statements is not installed". */
  unavailable: unavailableSchema,
  /** Each source that cannot be read, with the reason (shown as a note above the table). */
  sourcesUnavailable: z.record(z.string(), z.string()),
  groups: z.array(slowGroupSchema),
  running: z.array(runningSlowSchema),
});
export type SlowQueriesResponse = z.infer<typeof slowQueriesResponseSchema>;

/** GET /api/targets/{id}/slow-queries/{fingerprint}?from&to */
export const slowExampleSchema = z.object({
  query: z.string(),
  capturedAt: nullableIso,
  durationMs: nullableNumber,
  source: slowSourceSchema,
});
export const slowQueryDetailSchema = z.object({
  targetId: z.string(),
  fingerprint: z.string(),
  from: isoTime,
  to: isoTime,
  /** null when the fingerprint was not seen in the range. */
  group: slowGroupSchema.nullable(),
  /** Mean duration per bucket (ms). */
  meanMs: pointsSchema,
  examples: z.array(slowExampleSchema),
  /** A normalized text ($1, $2 …) that EXPLAIN can use with GENERIC_PLAN or given values. */
  normalized: z.string().nullable(),
});
export type SlowQueryDetail = z.infer<typeof slowQueryDetailSchema>;
