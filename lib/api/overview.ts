import { z } from "zod";
import { serverRoleSchema, isoTime, nullableInt, nullableIso, nullableNumber, pointsSchema } from "./common";

// GET /api/overview — one row per target for the fleet page. The page also renders from
// /api/health + /api/targets + /series alone, so every field here is an enrichment.

export const overviewTargetSchema = z.object({
  id: z.string(),
  name: z.string(),
  up: z.boolean().nullable(),
  downSince: nullableIso,
  lastError: z.string().nullable(),
  lastSampleAt: nullableIso,
  serverVersion: z.string().nullable(),
  role: serverRoleSchema.nullable(),
  alerts: z.object({
    critical: z.number().int(),
    warning: z.number().int(),
    info: z.number().int(),
    pending: z.number().int(),
  }),
  sessions: z.object({ total: z.number().int(), active: z.number().int(), max: nullableInt }).nullable(),
  tps: nullableNumber,
  /** Percent (0–100) over the last window, from deltas; null below the block-access floor. */
  cacheHitRatio: nullableNumber,
  largestTable: z.object({ schema: z.string(), table: z.string(), totalBytes: z.number() }).nullable(),
  sparklines: z.object({ tps: pointsSchema, connections: pointsSchema, cacheHitRatio: pointsSchema }),
  /** Worst replay lag: the slowest standby on a primary, the replay delay on a standby; null when unknown or none. */
  replicationLagSeconds: nullableNumber.default(null),
  /**
   * The newest successful backup in backup_log: its age (null when the log holds none), or why it
   * cannot be read; null before the first sample.
   */
  backup: z.object({ ageSeconds: nullableNumber, unavailable: z.string().nullable() }).nullable().default(null),
  /** What the monitoring role's privileges cost (superuser, missing pg_monitor, no setup). */
  privilegeWarnings: z.array(z.string()).default([]),
});
export type OverviewTarget = z.infer<typeof overviewTargetSchema>;

export const overviewResponseSchema = z.object({ takenAt: isoTime, targets: z.array(overviewTargetSchema) });
export type OverviewResponse = z.infer<typeof overviewResponseSchema>;
