import { z } from "zod";
import { HISTORY_RANGES } from "@/lib/limits";
import { DEFAULT_LIST_SORT, TABLE_SORT_KEYS, type TableSort } from "./list-sorts";
import { pageInfoSchema, pageQuerySchema, type SortValue } from "./paging";
import { cadenceMsSchema, isoTime, nameParam, nullableIso, nullableNumber, pointsSchema, unavailableSchema } from "./common";

// GET /api/targets/{id}/tables?from&to — the latest table_stats snapshot, with rates over the
// requested range (not lifetime totals) and growth from the low-cadence snapshots.

export const tableRowSchema = z.object({
  schema: z.string(),
  table: z.string(),
  /** Partitions name their parent; the parent row carries sizes summed over its leaves. */
  parent: z.string().nullable(),
  isPartitioned: z.boolean(),
  /** Partitioned by a time range: does next month's partition exist? null when not applicable. */
  nextMonthPartitionExists: z.boolean().nullable(),
  totalBytes: nullableNumber,
  tableBytes: nullableNumber,
  indexBytes: nullableNumber,
  toastBytes: nullableNumber,
  /** Why sizes are missing, e.g. "locked" (an ACCESS EXCLUSIVE lock was held at sample time). */
  sizeUnavailable: z.string().nullable(),
  seqScan: nullableNumber,
  /** null for a table without indexes. */
  idxScan: nullableNumber,
  nTupIns: nullableNumber,
  nTupUpd: nullableNumber,
  nTupDel: nullableNumber,
  /** Per-second rates over the requested range, from counter deltas (a reset is a gap). */
  insPerSecond: nullableNumber,
  updPerSecond: nullableNumber,
  delPerSecond: nullableNumber,
  nLiveTup: nullableNumber,
  nDeadTup: nullableNumber,
  lastVacuum: nullableIso,
  lastAutovacuum: nullableIso,
  lastAnalyze: nullableIso,
  lastAutoanalyze: nullableIso,
  growthBytesPerDay: nullableNumber,
  /** Days until totalBytes crosses the threshold at the current growth; 0 when already over. */
  daysToThreshold: nullableNumber,
  crossesAt: nullableIso,
  /** Large and read mostly by sequential scans (likelyNeedsIndex below, computed on the server). */
  likelyNeedsIndex: z.boolean().optional(),
});
export type TableRow = z.infer<typeof tableRowSchema>;

export const tablesResponseSchema = z.object({
  targetId: z.string(),
  takenAt: nullableIso,
  /** table_stats'. */
  cadenceMs: cadenceMsSchema,
  unavailable: unavailableSchema,
  /** Where the scan and tuple counters came from. */
  source: z.enum(["performance_metrics", "pg_stat_user_tables"]).nullable(),
  thresholdBytes: z.number(),
  /** The threshold was lowered for the demo (PGPULSE_DEMO_TABLE_SIZE_BYTES); the UI says so. */
  thresholdIsDemo: z.boolean(),
  /** The samples the write rates run between (the first and last stored with counters in the range); null: no rates. */
  ratesFrom: nullableIso,
  ratesTo: nullableIso,
  /** Why the write rates are missing, or that they cover only the end of the range; null when they cover it. */
  ratesNote: z.string().nullable(),
  rows: z.array(tableRowSchema),
  /** Present when a page was asked for (limit): top-level tables matching q; the rows hold the page's tables and their partitions. */
  page: pageInfoSchema.optional(),
});
export type TablesResponse = z.infer<typeof tablesResponseSchema>;

/** GET /api/targets/{id}/tables/history?schema&table&from&to — total size over time. */
export const tableHistoryQuerySchema = z.object({
  schema: nameParam(63),
  table: nameParam(63),
  from: isoTime,
  to: isoTime,
});
export const tableHistoryResponseSchema = z.object({
  schema: z.string(),
  table: z.string(),
  unit: z.literal("bytes"),
  points: pointsSchema,
  /** How far apart the stored snapshots are: table_stats' cadence, or the store's spacing if wider. */
  cadenceMs: cadenceMsSchema,
});
export type TableHistoryResponse = z.infer<typeof tableHistoryResponseSchema>;

const laterIso = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : Date.parse(a) > Date.parse(b) ? a : b);

/** The tables page's sort keys, by column: the server sorts by them (lib/api/paging.ts). */
export const TABLE_SORT: Record<TableSort, (r: TableRow) => SortValue> = {
  table: (r) => `${r.schema}.${r.table}`,
  scans: (r) => r.seqScan,
  ins: (r) => r.insPerSecond,
  upd: (r) => r.updPerSecond,
  del: (r) => r.delPerSecond,
  live: (r) => r.nLiveTup,
  dead: (r) => r.nDeadTup,
  vacuum: (r) => laterIso(r.lastVacuum, r.lastAutovacuum),
  analyze: (r) => laterIso(r.lastAnalyze, r.lastAutoanalyze),
  size: (r) => r.totalBytes,
  growth: (r) => r.growthBytesPerDay,
  crosses: (r) => r.daysToThreshold,
};
export type { TableSort };

/**
 * GET …/tables?range|from&to&limit&offset&sort&dir&q&format — a bad one is a 400 naming it.
 * `range` (the last 1h … 30d up to now) is what a page with a relative range sends: one answer
 * per snapshot serves every viewer of it, where `from`/`to` differ per request.
 */
export const tablesQuerySchema = z
  .object({ range: z.enum(HISTORY_RANGES).optional(), from: isoTime.optional(), to: isoTime.optional() })
  .extend(pageQuerySchema(TABLE_SORT_KEYS, DEFAULT_LIST_SORT.sort).shape)
  .refine((q) => q.range === undefined || (q.from === undefined && q.to === undefined), { message: "range excludes from and to", path: ["range"] })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), { message: "from must be before to", path: ["from"] });
