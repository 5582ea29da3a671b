import { z } from "zod";
import { bool, isoOrNull, numOrNull, strOrNull } from "./rows";

// The maintenance view's rows, lenient like ./rows.ts: from the snapshot (numbers, Dates) or
// from the store's row history (after jsonb: ISO strings, numbers possibly as strings).

const boolOrNull = z.boolean().nullish().transform((v) => v ?? null);
const bigText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : String(v)));

export const vacuumRow = z.object({
  pid: z.number().int(),
  datname: strOrNull,
  relation: strOrNull,
  phase: strOrNull,
  progress: numOrNull,
  heap_blks_total: numOrNull,
  heap_blks_scanned: numOrNull,
  heap_blks_vacuumed: numOrNull,
  index_vacuum_count: numOrNull,
  indexes_total: numOrNull,
  indexes_processed: numOrNull,
  is_autovacuum: boolOrNull,
  to_prevent_wraparound: boolOrNull,
  running_ms: numOrNull,
});
export type VacuumRow = z.output<typeof vacuumRow>;

export const workersRow = z.object({
  workers: numOrNull,
  max_workers: numOrNull,
  autovacuum_on: boolOrNull,
});
export type WorkersRow = z.output<typeof workersRow>;

export const maintenanceTableRow = z.object({
  schemaname: z.string(),
  relname: z.string(),
  is_partitioned: bool,
  n_live_tup: numOrNull,
  n_dead_tup: numOrNull,
  dead_ratio: numOrNull,
  n_mod_since_analyze: numOrNull,
  n_ins_since_vacuum: numOrNull,
  xid_age: numOrNull,
  last_vacuum: isoOrNull,
  last_autovacuum: isoOrNull,
  last_analyze: isoOrNull,
  last_autoanalyze: isoOrNull,
});
export type MaintenanceTableRow = z.output<typeof maintenanceTableRow>;

export const sequenceRow = z.object({
  schemaname: z.string(),
  sequencename: z.string(),
  data_type: z.string(),
  column_name: strOrNull,
  column_type: strOrNull,
  cycle: bool,
  last_value: bigText,
  limit_value: bigText.pipe(z.string()),
  percent_used: numOrNull,
  last_value_unavailable: z.enum(["no_privilege", "never_called"]).nullish().transform((v) => v ?? null),
});
export type SequenceRow = z.output<typeof sequenceRow>;
