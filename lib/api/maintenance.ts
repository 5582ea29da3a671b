import { z } from "zod";
import { CHECKPOINT_WINDOWS, DEFAULT_CHECKPOINT_WINDOW } from "./urls";
import { cadenceMsSchema, nullableInt, nullableIso, nullableNumber, unavailableSchema } from "./common";

// GET /api/targets/{id}/maintenance?window=1h — running vacuums, autovacuum workers, the tables
// most in need of VACUUM or ANALYZE (with the statement to copy, never run by pgpulse), sequences
// by the share of their range used, and checkpoints over the window. Each part comes from its own metric and carries its own sample
// time and cadence, so one stale part is not mistaken for the others.

const source = {
  takenAt: nullableIso,
  cadenceMs: cadenceMsSchema,
  unavailable: unavailableSchema,
};

export const runningVacuumSchema = z.object({
  pid: z.number().int(),
  datname: z.string().nullable(),
  /** "schema.table" in the monitored database; null for a vacuum in another database. */
  relation: z.string().nullable(),
  phase: z.string().nullable(),
  /** 0..1 of the heap scanned; null while the total is unknown. */
  progress: nullableNumber,
  heapBlksTotal: nullableInt,
  heapBlksScanned: nullableInt,
  heapBlksVacuumed: nullableInt,
  indexVacuumCount: nullableInt,
  /** PostgreSQL 17+; null before. */
  indexesTotal: nullableInt,
  indexesProcessed: nullableInt,
  isAutovacuum: z.boolean().nullable(),
  toPreventWraparound: z.boolean().nullable(),
  runningMs: nullableNumber,
});
export type RunningVacuum = z.infer<typeof runningVacuumSchema>;

export const tableNeedSchema = z.object({
  schema: z.string(),
  table: z.string(),
  reason: z.enum(["dead_tuples", "stale_vacuum", "modified_since_analyze", "never_analyzed"]),
  liveTuples: nullableInt,
  deadTuples: nullableInt,
  /** n_dead_tup / (n_live_tup + n_dead_tup), 0..1. */
  deadRatio: nullableNumber,
  modsSinceAnalyze: nullableInt,
  insertsSinceVacuum: nullableInt,
  xidAge: nullableInt,
  /** The later of the last manual and automatic run; null when never. */
  lastVacuumAt: nullableIso,
  lastAnalyzeAt: nullableIso,
  /** How long ago, at the time of the answer; null when never. */
  vacuumAgeMs: nullableNumber,
  analyzeAgeMs: nullableNumber,
  /** What a DBA would run: `VACUUM (ANALYZE) s.t;` or `ANALYZE s.t;`, identifiers quoted. */
  sql: z.string(),
});
export type TableNeed = z.infer<typeof tableNeedSchema>;

export const sequenceUsageSchema = z.object({
  schema: z.string(),
  sequence: z.string(),
  dataType: z.string(),
  /** "schema.table.column" the sequence feeds (owned by), or null. */
  column: z.string().nullable(),
  columnType: z.string().nullable(),
  /** int8 values as decimal text: they may pass 2^53. */
  lastValue: z.string().nullable(),
  limitValue: z.string(),
  percentUsed: nullableNumber,
  cycle: z.boolean(),
  lastValueUnavailable: z.enum(["no_privilege", "never_called"]).nullable(),
});
export type SequenceUsage = z.infer<typeof sequenceUsageSchema>;


export const maintenanceQuerySchema = z.object({ window: z.enum(CHECKPOINT_WINDOWS).default(DEFAULT_CHECKPOINT_WINDOW) });

/**
 * Counter increases over the window, summed over the intervals between stored samples. An
 * interval across a reset (a counter going down, a changed stats_reset) is left out and counted
 * in `resets`; a figure with no usable interval is null, never 0.
 */
export const checkpointsSchema = z.object({
  ...source,
  window: z.enum(CHECKPOINT_WINDOWS),
  /** The time the deltas cover (usable intervals of `timed`); less than the window after a start or a reset. */
  coveredMs: z.number().nonnegative(),
  resets: z.number().int().nonnegative(),
  timed: nullableNumber,
  requested: nullableNumber,
  /** Share of requested checkpoints, 0..100; null below `minCheckpoints` checkpoints (too few to say). */
  requestedPercent: nullableNumber,
  minCheckpoints: z.number().int().positive(),
  writeTimeMs: nullableNumber,
  syncTimeMs: nullableNumber,
  buffersCheckpoint: nullableNumber,
  buffersClean: nullableNumber,
  /** Buffers written by backends themselves; null on 17+ (counted in pg_stat_io), with `buffersBackendNote`. */
  buffersBackend: nullableNumber,
  buffersBackendNote: z.string().nullable(),
});
export type Checkpoints = z.infer<typeof checkpointsSchema>;

export const maintenanceResponseSchema = z.object({
  targetId: z.string(),
  vacuums: z.object({ ...source, rows: z.array(runningVacuumSchema) }),
  autovacuum: z.object({
    ...source,
    workers: nullableInt,
    maxWorkers: nullableInt,
    autovacuumOn: z.boolean().nullable(),
  }),
  tables: z.object({ ...source, vacuum: z.array(tableNeedSchema), analyze: z.array(tableNeedSchema) }),
  sequences: z.object({
    ...source,
    rows: z.array(sequenceUsageSchema),
    /** The sequence_exhaustion rule's lines for this target: warning over warnPercent, critical over criticalPercent. */
    warnPercent: z.number(),
    criticalPercent: z.number().nullable(),
    /** Set when some last values could not be read: the grant that would let the role see them. */
    grantHint: z.string().nullable(),
  }),
  checkpoints: checkpointsSchema,
});
export type MaintenanceResponse = z.infer<typeof maintenanceResponseSchema>;
