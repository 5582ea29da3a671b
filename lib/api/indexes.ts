import { z } from "zod";
import { DEFAULT_LIST_SORT, INDEX_FLAGS, INDEX_SORT_KEYS, type IndexSort } from "./list-sorts";
import { pageInfoSchema, pageQuerySchema, type SortValue } from "./paging";
import { cadenceMsSchema, nullableIso, nullableNumber, unavailableSchema } from "./common";

// GET /api/targets/{id}/indexes — index_stats joined with the latest index_bloat figures.

export const indexRowSchema = z.object({
  schema: z.string(),
  table: z.string(),
  index: z.string(),
  sizeBytes: nullableNumber,
  idxScan: nullableNumber,
  isUnique: z.boolean(),
  isPrimary: z.boolean(),
  valid: z.boolean(),
  definition: z.string().nullable(),
  /** No scans since the stats reset, and not unique/primary. */
  unused: z.boolean(),
  /** Another index on the same table with the same keys, expressions and predicate. */
  duplicateOf: z.string().nullable(),
  bloatPercent: nullableNumber,
  bloatSource: z.enum(["estimate", "exact"]).nullable(),
  /** Whether the estimate can be trusted; null when there is no figure. */
  reliable: z.boolean().nullable(),
  /** Why an estimate is unreliable: deduplicated keys, NULL-heavy, expression, tiny index… */
  unreliableReason: z.string().nullable(),
  bloatMeasuredAt: nullableIso,
  /** What a DBA would run, computed on the server with indexAdvice() (shown, never executed). */
  advice: z
    .array(z.object({ kind: z.enum(["reindex", "drop_unused", "drop_duplicate"]), reason: z.string(), sql: z.string() }))
    .optional(),
});
export type IndexRow = z.infer<typeof indexRowSchema>;

export const indexesResponseSchema = z.object({
  targetId: z.string(),
  /** When index_stats was sampled, and its cadence. */
  takenAt: nullableIso,
  cadenceMs: cadenceMsSchema,
  unavailable: unavailableSchema,
  /** Set when bloat figures cannot be computed (e.g. no access to pg_stats). */
  bloatUnavailable: z.string().nullable(),
  bloatThresholdPercent: z.number(),
  minIndexBytes: z.number(),
  statsResetAt: nullableIso,
  rows: z.array(indexRowSchema),
  /** Present when a page was asked for (limit): indexes matching q, and the slice answered. */
  page: pageInfoSchema.optional(),
});
export type IndexesResponse = z.infer<typeof indexesResponseSchema>;

/** The indexes page's sort keys, by column: the server sorts by them (lib/api/paging.ts). */
export const INDEX_SORT: Record<IndexSort, (r: IndexRow) => SortValue> = {
  index: (r) => `${r.schema}.${r.index}`,
  table: (r) => r.table,
  size: (r) => r.sizeBytes,
  scans: (r) => r.idxScan,
  bloat: (r) => r.bloatPercent,
};
export type { IndexSort };

/** GET …/indexes?limit&offset&sort&dir&q&flag&format — a bad one is a 400 naming it. */
export const indexesQuerySchema = pageQuerySchema(INDEX_SORT_KEYS, DEFAULT_LIST_SORT.sort).extend({ flag: z.enum(INDEX_FLAGS).default("all") });
