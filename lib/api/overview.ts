import { z } from "zod";
import { serverRoleSchema, isoTime, nullableInt, nullableIso, nullableNumber, severitySchema } from "./common";
import { FLEET_STATUSES } from "./fleet";

// GET /api/overview — one row per target for the fleet page, every target in one answer (200
// targets are one request, sparklines included). Any instance sharing the store answers for
// every target: those another instance polls are read from the store (leases, up/down
// transitions, series, alerts), never shown as down for not being polled here.

/** A recent series in few bytes: values at `from`, `from + step`, …; null is a gap, never 0. */
export const compactSeriesSchema = z.object({ from: isoTime, stepSeconds: z.number().int().positive(), values: z.array(z.number().nullable()) });
export type CompactSeries = z.infer<typeof compactSeriesSchema>;

export const overviewTargetSchema = z.object({
  id: z.string(),
  name: z.string(),
  host: z.string(),
  port: z.number().nullable(),
  database: z.string(),
  /** From the config (a discovered target carries its discovery's tags). */
  tags: z.record(z.string(), z.string()),
  /** Its place in the list: down, critical, warning, unknown, ok (lib/api/fleet.ts). */
  status: z.enum(FLEET_STATUSES),
  /** The instance polling it; null while nobody holds it (or when leases are off). */
  heldBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** memory: this instance polls it (live snapshot); store: read from the shared store. */
  source: z.enum(["memory", "store"]),
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
  /** Firing alerts by rule, worst severity first; alertId when the rule has one alert here. */
  firing: z.array(z.object({ rule: z.string(), severity: severitySchema, count: z.number().int().positive(), alertId: z.string().nullable() })),
  sessions: z.object({ total: z.number().int(), active: z.number().int(), max: nullableInt }).nullable(),
  /**
   * Sessions on the target's database against its server's usable slots (max − reserved). For
   * source "store", `used` is the average of the last stored minute, not a live count.
   */
  connections: z.object({ used: nullableNumber, usable: nullableNumber }),
  /** The longest-running active statement now, seconds; null when none runs or unknown. */
  longestQuerySeconds: nullableNumber,
  tps: nullableNumber,
  /** Percent (0–100) over the last window, from deltas; null below the block-access floor. */
  cacheHitRatio: nullableNumber,
  largestTable: z.object({ schema: z.string(), table: z.string(), totalBytes: z.number() }).nullable(),
  /** Client sessions over the last quarter hour, per minute. */
  sparkline: compactSeriesSchema,
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
