import { z } from "zod";
import { defineMetric } from "../define";

// VACUUMs running now (manual and autovacuum), from pg_stat_progress_vacuum. The view lists the
// whole cluster, but relid resolves to a name only in the database we are connected to: a
// vacuum elsewhere keeps its relid and a null relation. VACUUM FULL is reported by
// pg_stat_progress_cluster instead, so it is not here.
//
// PostgreSQL 17 replaced the dead-tuple slots (max_dead_tuples, num_dead_tuples) by a memory
// budget (max_dead_tuple_bytes, dead_tuple_bytes) and a count of dead item ids, and added
// indexes_total / indexes_processed: each is null on the servers that do not have it.

function sql(dead: string): string {
  return `/* pgpulse */
SELECT p.pid, p.datname::text AS datname, p.relid::int8 AS relid,
       CASE WHEN c.oid IS NOT NULL THEN n.nspname::text || '.' || c.relname::text END AS relation,
       p.phase, p.heap_blks_total, p.heap_blks_scanned, p.heap_blks_vacuumed, p.index_vacuum_count,
       ${dead},
       p.heap_blks_scanned::float8 / nullif(p.heap_blks_total, 0) AS progress,
       a.backend_type = 'autovacuum worker' AS is_autovacuum,
       -- Anti-wraparound autovacuums cannot be cancelled by lock conflicts: worth telling apart.
       a.query LIKE '%(to prevent wraparound)' AS to_prevent_wraparound,
       extract(epoch FROM now() - coalesce(a.xact_start, a.query_start)) * 1000 AS running_ms
FROM pg_stat_progress_vacuum p
LEFT JOIN pg_stat_activity a ON a.pid = p.pid
LEFT JOIN pg_class c ON c.oid = p.relid AND p.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
ORDER BY running_ms DESC NULLS LAST, p.pid`;
}

const count = z.number().int().nonnegative().nullable();

const row = z.object({
  pid: z.number().int(),
  datname: z.string().nullable(),
  /** Null without pg_read_all_stats for another role's vacuum (the server hides it). */
  relid: z.number().int().nullable(),
  /** "schema.table" when the vacuum runs in the connected database, else null. */
  relation: z.string().nullable(),
  phase: z.string().nullable(),
  heap_blks_total: count,
  heap_blks_scanned: count,
  heap_blks_vacuumed: count,
  index_vacuum_count: count,
  /** Before 17 only. */
  max_dead_tuples: count,
  num_dead_tuples: count,
  /** 17+ only. */
  max_dead_tuple_bytes: count,
  dead_tuple_bytes: count,
  num_dead_item_ids: count,
  indexes_total: count,
  indexes_processed: count,
  /** heap_blks_scanned / heap_blks_total, 0..1; null while the total is 0 or unknown. */
  progress: z.number().min(0).max(1).nullable(),
  is_autovacuum: z.boolean().nullable(),
  to_prevent_wraparound: z.boolean().nullable(),
  running_ms: z.number().nullable(),
});

export type VacuumProgressRow = z.infer<typeof row>;

export const vacuumProgress = defineMetric<VacuumProgressRow>({
  id: "vacuum_progress",
  description: "Running VACUUMs: phase, heap blocks scanned and vacuumed, index passes, running time",
  scope: "cluster",
  lane: "live",
  intervalMs: 15_000,
  timeoutMs: 2_000,
  sql: {
    130000: sql(`p.max_dead_tuples, p.num_dead_tuples, NULL::int8 AS max_dead_tuple_bytes,
       NULL::int8 AS dead_tuple_bytes, NULL::int8 AS num_dead_item_ids, NULL::int8 AS indexes_total,
       NULL::int8 AS indexes_processed`),
    170000: sql(`NULL::int8 AS max_dead_tuples, NULL::int8 AS num_dead_tuples, p.max_dead_tuple_bytes,
       p.dead_tuple_bytes, p.num_dead_item_ids, p.indexes_total, p.indexes_processed`),
  },
  row,
  labels: ["pid"],
  counters: [],
  gauges: ["progress", "heap_blks_total", "heap_blks_scanned", "heap_blks_vacuumed", "index_vacuum_count", "running_ms"],
  // Each vacuum is short-lived: per-pid series would pile up one set per run. The snapshot
  // holds the rows; the stored series is how many were running.
  toSeries: (rows) => [{ name: "vacuum_progress.running", labels: {}, value: rows.length, kind: "gauge" }],
  exposed: true,
});
