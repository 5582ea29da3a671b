import { z } from "zod";

// Rows as the route handlers receive them: from the collector's in-memory snapshot (timestamps
// are Dates) or from the store's row history (the same rows after a trip through jsonb: ISO
// strings, and bigints that may arrive as strings). One lenient schema per metric turns both
// into the same shape; a row that does not fit is skipped by the caller, never guessed at.

export const isoOrNull = z
  .union([z.date(), z.string(), z.null()])
  .optional()
  .transform((v) => {
    if (v === null || v === undefined) return null;
    const d = v instanceof Date ? v : new Date(v);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  });

export const numOrNull = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((v) => {
    if (v === null || v === undefined || v === "") return null;
    const n = typeof v === "number" ? v : Number(v);
    return Number.isFinite(n) ? n : null;
  });

export const strOrNull = z.string().nullish().transform((v) => v ?? null);
export const bool = z.boolean().nullish().transform((v) => v ?? false);

export const activityRow = z.object({
  pid: z.number().int(),
  datname: strOrNull,
  usename: strOrNull,
  application_name: strOrNull,
  client_addr: strOrNull,
  state: strOrNull,
  wait_event_type: strOrNull,
  wait_event: strOrNull,
  backend_start: isoOrNull,
  xact_start: isoOrNull,
  query_start: isoOrNull,
  state_change: isoOrNull,
  query: strOrNull,
  query_id: z.union([z.string(), z.number(), z.null()]).optional().transform((v) => (v === null || v === undefined ? null : String(v))),
  blocked_by: z.array(z.number().int()).nullish().transform((v) => v ?? []),
  query_ms: numOrNull,
  xact_ms: numOrNull,
  hidden: bool,
});
export type ActivityRow = z.output<typeof activityRow>;

export const connectionsRow = z.object({
  max_connections: numOrNull,
  superuser_reserved_connections: numOrNull,
  reserved_connections: numOrNull,
  total: numOrNull,
  usable: numOrNull,
  saturation: numOrNull,
});

export const tableRow = z.object({
  schemaname: z.string(),
  relname: z.string(),
  is_partitioned: bool,
  parent: strOrNull,
  source: z.enum(["performance_metrics", "pg_stat_user_tables"]).nullish().transform((v) => v ?? null),
  seq_scan: numOrNull,
  idx_scan: numOrNull,
  n_tup_ins: numOrNull,
  n_tup_upd: numOrNull,
  n_tup_del: numOrNull,
  n_live_tup: numOrNull,
  n_dead_tup: numOrNull,
  last_vacuum: isoOrNull,
  last_autovacuum: isoOrNull,
  last_analyze: isoOrNull,
  last_autoanalyze: isoOrNull,
  heap_bytes: numOrNull,
  indexes_bytes: numOrNull,
  toast_bytes: numOrNull,
  total_bytes: numOrNull,
  size_unavailable: strOrNull,
  next_month_partition_exists: z.boolean().nullish().transform((v) => v ?? null),
});
export type TableStatsRow = z.output<typeof tableRow>;

export const indexRow = z.object({
  schemaname: z.string(),
  table: z.string(),
  index: z.string(),
  size_bytes: numOrNull,
  idx_scan: numOrNull,
  is_unique: bool,
  is_primary: bool,
  is_valid: z.boolean().nullish().transform((v) => v ?? true),
  definition: strOrNull,
  unused: bool,
  duplicate_of: strOrNull,
});
export type IndexStatsRow = z.output<typeof indexRow>;

export const bloatRow = z.object({
  schemaname: z.string(),
  tablename: z.string(),
  indexname: z.string(),
  index_bytes: numOrNull,
  bloat_percent: numOrNull,
  reliable: z.boolean().nullish().transform((v) => v ?? null),
  unreliable_reason: strOrNull,
  bloat_source: z.enum(["estimate", "exact"]).nullish().transform((v) => v ?? null),
});
export type BloatRow = z.output<typeof bloatRow>;

export const slowRow = z.object({
  source: z.enum(["slow_query_log", "pg_stat_statements", "running"]),
  fingerprint: strOrNull,
  query: strOrNull,
  duration_ms: numOrNull,
  pid: z.number().int().nullish().transform((v) => v ?? null),
  username: strOrNull,
});
export type SlowRow = z.output<typeof slowRow>;

/** Parses every row that fits the schema; rows that do not are dropped and counted. */
export function parseRows<S extends z.ZodType>(rows: readonly unknown[], schema: S): { rows: z.output<S>[]; skipped: number } {
  const out: z.output<S>[] = [];
  let skipped = 0;
  for (const r of rows) {
    const p = schema.safeParse(r);
    if (p.success) out.push(p.data);
    else skipped++;
  }
  return { rows: out, skipped };
}
