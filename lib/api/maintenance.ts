import { z } from "zod";
import { cadenceMsSchema, nullableInt, nullableIso, nullableNumber, unavailableSchema } from "./common";

// GET /api/targets/{id}/maintenance — running vacuums, autovacuum workers, the tables most in
// need of VACUUM or ANALYZE (with the statement to copy, never run by pgpulse) and sequences by
// the share of their range used. Each part comes from its own metric and carries its own sample
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
    /** Set when some last values could not be read: the grant that would let the role see them. */
    grantHint: z.string().nullable(),
  }),
});
export type MaintenanceResponse = z.infer<typeof maintenanceResponseSchema>;
