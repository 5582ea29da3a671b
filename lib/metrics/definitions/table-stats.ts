import { z } from "zod";
import { createTableStatsTask } from "@/lib/collector/tasks/table-stats";
import type { Capabilities } from "@/lib/collector/types";
import { defineMetric } from "../define";
import type { MetricDefinition, MetricSpec } from "../types";

// Per-table activity, size and maintenance state (dead tuples, changes since analyze, xid age),
// every 2 minutes, as a snapshot (growth, "how did this table look last Tuesday") and as series. Scan/tuple counters come from the application's own
// performance_metrics view when it exists (the guidelines name it), else pg_stat_user_tables.
//
// Two PostgreSQL traps: a partitioned parent's own size is 0, so its sizes and counters are
// summed over its leaf partitions; and size functions wait behind an ACCESS
// EXCLUSIVE lock until lock_timeout. A relation whose lock is held or awaited is not sized
// (size_unavailable = 'locked'); pg_locks and the stats views never wait.

const PM_FROM_VIEW = `SELECT schemaname::text AS schemaname, relname::text AS relname,
         seq_scan::bigint AS seq_scan, idx_scan::bigint AS idx_scan, n_tup_ins::bigint AS n_tup_ins,
         n_tup_upd::bigint AS n_tup_upd, n_tup_del::bigint AS n_tup_del
  FROM performance_metrics`;
const PM_NONE = `SELECT NULL::text AS schemaname, NULL::text AS relname, NULL::bigint AS seq_scan,
         NULL::bigint AS idx_scan, NULL::bigint AS n_tup_ins, NULL::bigint AS n_tup_upd,
         NULL::bigint AS n_tup_del
  WHERE false`;

function sql(pm: string): string {
  return `/* pgpulse */
WITH RECURSIVE pm AS (
  ${pm}
),
rels AS (
  SELECT c.oid, n.nspname::text AS schemaname, c.relname::text AS relname, c.relkind,
         c.reltoastrelid, c.relispartition,
         -- Wraparound distance of ordinary tables and matviews; a partitioned parent has no xid
         -- (relfrozenxid 0), and TOAST tables are frozen with their owner, so they are left out.
         CASE WHEN c.relkind IN ('r', 'm') THEN age(c.relfrozenxid) END AS xid_age
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'm') AND c.relpersistence <> 't'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgpulse')
    AND n.nspname !~ '^pg_toast'
),
-- Granted or waiting: a waiting ACCESS EXCLUSIVE request also queues new lock requests behind it.
-- A lock on an index or on the toast table blocks the size functions too.
locked AS (
  SELECT DISTINCT coalesce(x.indrelid, t.oid, l.relation) AS relid
  FROM pg_locks l
  LEFT JOIN pg_index x ON x.indexrelid = l.relation
  LEFT JOIN pg_class t ON t.reltoastrelid = l.relation AND t.reltoastrelid <> 0
  WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
),
base AS (
  SELECT r.*, pm.relname IS NOT NULL AS from_pm,
         r.oid IN (SELECT relid FROM locked) AS is_locked,
         CASE WHEN pm.relname IS NOT NULL THEN pm.seq_scan ELSE s.seq_scan END AS seq_scan,
         CASE WHEN pm.relname IS NOT NULL THEN pm.idx_scan ELSE s.idx_scan END AS idx_scan,
         CASE WHEN pm.relname IS NOT NULL THEN pm.n_tup_ins ELSE s.n_tup_ins END AS n_tup_ins,
         CASE WHEN pm.relname IS NOT NULL THEN pm.n_tup_upd ELSE s.n_tup_upd END AS n_tup_upd,
         CASE WHEN pm.relname IS NOT NULL THEN pm.n_tup_del ELSE s.n_tup_del END AS n_tup_del,
         s.n_live_tup, s.n_dead_tup, s.last_vacuum, s.last_autovacuum, s.last_analyze,
         s.last_autoanalyze, s.vacuum_count, s.autovacuum_count, s.analyze_count, s.autoanalyze_count,
         s.n_mod_since_analyze, s.n_ins_since_vacuum
  FROM rels r
  LEFT JOIN pg_stat_user_tables s ON s.relid = r.oid
  LEFT JOIN pm ON pm.schemaname = r.schemaname AND pm.relname = r.relname
),
-- Each relation's parts measured once: the main fork (heap_bytes), its other forks, its
-- indexes and its TOAST table with TOAST's index. total_bytes is their sum, exactly what
-- pg_total_relation_size() would measure again. Materialized so each size function runs once
-- per relation; $1 = false skips every size function (the task reuses the last sizes, except
-- for a relation locked now: that one says so at every run, sized or not).
parts AS MATERIALIZED (
  SELECT b.*,
         CASE WHEN $1 AND b.relkind <> 'p' AND NOT b.is_locked THEN pg_relation_size(b.oid) END AS heap_bytes,
         CASE WHEN $1 AND b.relkind <> 'p' AND NOT b.is_locked
              THEN pg_relation_size(b.oid, 'fsm') + pg_relation_size(b.oid, 'vm') + pg_relation_size(b.oid, 'init') END AS other_forks_bytes,
         CASE WHEN $1 AND b.relkind <> 'p' AND NOT b.is_locked THEN pg_indexes_size(b.oid) END AS indexes_bytes,
         CASE WHEN $1 AND b.relkind <> 'p' AND NOT b.is_locked
              THEN CASE WHEN b.reltoastrelid <> 0 THEN pg_total_relation_size(b.reltoastrelid) ELSE 0 END
         END AS toast_bytes
  FROM base b
),
sized AS (
  SELECT p.*, p.heap_bytes + p.other_forks_bytes + p.indexes_bytes + p.toast_bytes AS total_bytes
  FROM parts p
),
-- Partition trees from pg_inherits: pg_partition_tree() locks every partition it visits.
tree AS (
  SELECT p.oid AS root, i.inhrelid AS relid
  FROM sized p JOIN pg_inherits i ON i.inhparent = p.oid
  WHERE p.relkind = 'p'
  UNION ALL
  SELECT t.root, i.inhrelid FROM tree t JOIN pg_inherits i ON i.inhparent = t.relid
),
agg AS (
  SELECT t.root AS parent, count(l.oid) AS leaves, bool_or(l.is_locked) AS any_locked,
         bool_and(l.from_pm) AS all_pm,
         sum(l.seq_scan) AS seq_scan, sum(l.idx_scan) AS idx_scan, sum(l.n_tup_ins) AS n_tup_ins,
         sum(l.n_tup_upd) AS n_tup_upd, sum(l.n_tup_del) AS n_tup_del,
         sum(l.n_live_tup) AS n_live_tup, sum(l.n_dead_tup) AS n_dead_tup,
         sum(l.n_mod_since_analyze) AS n_mod_since_analyze, sum(l.n_ins_since_vacuum) AS n_ins_since_vacuum,
         max(l.xid_age) AS xid_age,
         sum(l.heap_bytes) AS heap_bytes, sum(l.indexes_bytes) AS indexes_bytes,
         sum(l.toast_bytes) AS toast_bytes, sum(l.total_bytes) AS total_bytes
  FROM tree t
  JOIN sized l ON l.oid = t.relid AND l.relkind <> 'p'
  GROUP BY t.root
)
SELECT s.schemaname, s.relname,
       s.relkind = 'p' AS is_partitioned,
       (SELECT pn.nspname::text || '.' || pc.relname::text FROM pg_inherits i
          JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
         WHERE i.inhrelid = s.oid AND s.relispartition) AS parent,
       CASE WHEN s.relkind = 'p' THEN CASE WHEN coalesce(a.all_pm, false) THEN 'performance_metrics' ELSE 'pg_stat_user_tables' END
            WHEN s.from_pm THEN 'performance_metrics' ELSE 'pg_stat_user_tables' END AS source,
       CASE WHEN s.relkind = 'p' THEN a.seq_scan ELSE s.seq_scan END AS seq_scan,
       CASE WHEN s.relkind = 'p' THEN a.idx_scan ELSE s.idx_scan END AS idx_scan,
       CASE WHEN s.relkind = 'p' THEN a.n_tup_ins ELSE s.n_tup_ins END AS n_tup_ins,
       CASE WHEN s.relkind = 'p' THEN a.n_tup_upd ELSE s.n_tup_upd END AS n_tup_upd,
       CASE WHEN s.relkind = 'p' THEN a.n_tup_del ELSE s.n_tup_del END AS n_tup_del,
       CASE WHEN s.relkind = 'p' THEN a.n_live_tup ELSE s.n_live_tup END AS n_live_tup,
       CASE WHEN s.relkind = 'p' THEN a.n_dead_tup ELSE s.n_dead_tup END AS n_dead_tup,
       CASE WHEN s.relkind = 'p' THEN a.n_mod_since_analyze ELSE s.n_mod_since_analyze END AS n_mod_since_analyze,
       CASE WHEN s.relkind = 'p' THEN a.n_ins_since_vacuum ELSE s.n_ins_since_vacuum END AS n_ins_since_vacuum,
       CASE WHEN s.relkind = 'p' THEN a.xid_age ELSE s.xid_age END AS xid_age,
       -- Dead share of the tuples the statistics count; NULL for an empty (or never counted) table.
       (CASE WHEN s.relkind = 'p' THEN a.n_dead_tup ELSE s.n_dead_tup END)::float8
         / nullif(CASE WHEN s.relkind = 'p' THEN a.n_live_tup + a.n_dead_tup ELSE s.n_live_tup + s.n_dead_tup END, 0) AS dead_ratio,
       s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
       s.vacuum_count, s.autovacuum_count, s.analyze_count, s.autoanalyze_count,
       -- A parent without partitions really is empty; one with a locked leaf is unknown.
       CASE WHEN s.relkind <> 'p' THEN s.heap_bytes WHEN a.any_locked THEN NULL ELSE coalesce(a.heap_bytes, 0) END AS heap_bytes,
       CASE WHEN s.relkind <> 'p' THEN s.indexes_bytes WHEN a.any_locked THEN NULL ELSE coalesce(a.indexes_bytes, 0) END AS indexes_bytes,
       CASE WHEN s.relkind <> 'p' THEN s.toast_bytes WHEN a.any_locked THEN NULL ELSE coalesce(a.toast_bytes, 0) END AS toast_bytes,
       CASE WHEN s.relkind <> 'p' THEN s.total_bytes WHEN a.any_locked THEN NULL ELSE coalesce(a.total_bytes, 0) END AS total_bytes,
       CASE WHEN (s.relkind <> 'p' AND s.is_locked) OR (s.relkind = 'p' AND a.any_locked) THEN 'locked' END AS size_unavailable,
       CASE WHEN s.relkind = 'p' THEN coalesce(a.leaves, 0) END AS partitions,
       -- The guidelines partition by month: is the partition that takes next month's rows there?
       -- Only for a single-column RANGE key on date/timestamp/timestamptz; NULL otherwise.
       CASE WHEN s.relkind = 'p' THEN (
         SELECT EXISTS (
           SELECT 1 FROM pg_inherits i
           JOIN pg_class ch ON ch.oid = i.inhrelid
           CROSS JOIN LATERAL (SELECT pg_get_expr(ch.relpartbound, 0) AS b) bd
           CROSS JOIN LATERAL (SELECT substring(bd.b FROM '^FOR VALUES FROM \\((.*)\\) TO \\(') AS lo,
                                      substring(bd.b FROM ' TO \\((.*)\\)$') AS hi) x
           WHERE i.inhparent = s.oid AND bd.b LIKE 'FOR VALUES FROM %'
             AND (x.lo = 'MINVALUE' OR btrim(x.lo, '''')::timestamptz <= date_trunc('month', now()) + interval '1 month')
             AND (x.hi = 'MAXVALUE' OR btrim(x.hi, '''')::timestamptz > date_trunc('month', now()) + interval '1 month'))
         FROM pg_partitioned_table pt
         JOIN pg_attribute att ON att.attrelid = pt.partrelid AND att.attnum = pt.partattrs[0]
         WHERE pt.partrelid = s.oid AND pt.partstrat = 'r' AND pt.partnatts = 1
           AND att.atttypid IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype))
       END AS next_month_partition_exists
FROM sized s
LEFT JOIN agg a ON a.parent = s.oid
ORDER BY s.schemaname, s.relname`;
}

/**
 * Sizes are read at every 5th run (every 10 minutes at the default 2-minute cadence): the row
 * history keeps a table's figures at most every 10 minutes (lib/store) and the pages draw
 * sizes from it, so reading them at every run measured four figures out of five that nobody
 * saw. Counted in runs, so a shortened cadence (PGPULSE_INTERVALS) shortens it alike.
 */
export const TABLE_SIZE_RUNS = 5;

const count = z.number().int().nonnegative().nullable();
const ts = z.date().nullable();

const row = z.object({
  schemaname: z.string(),
  relname: z.string(),
  is_partitioned: z.boolean(),
  /** "schema.table" of the parent for a partition, else null. */
  parent: z.string().nullable(),
  source: z.enum(["performance_metrics", "pg_stat_user_tables"]),
  seq_scan: count,
  /** NULL for a table without indexes: kept NULL, never 0. */
  idx_scan: count,
  n_tup_ins: count,
  n_tup_upd: count,
  n_tup_del: count,
  n_live_tup: count,
  n_dead_tup: count,
  /** Rows changed since the last (auto)analyze: what autoanalyze's threshold is compared with. */
  n_mod_since_analyze: count,
  /** Rows inserted since the last (auto)vacuum (13+): drives insert-only autovacuum. */
  n_ins_since_vacuum: count,
  /** age(relfrozenxid) of a table or matview, the largest of its leaves for a partitioned parent. */
  xid_age: count,
  /** n_dead_tup / (n_live_tup + n_dead_tup), 0..1; null when both are 0 or unknown. */
  dead_ratio: z.number().min(0).max(1).nullable(),
  last_vacuum: ts,
  last_autovacuum: ts,
  last_analyze: ts,
  last_autoanalyze: ts,
  vacuum_count: count,
  autovacuum_count: count,
  analyze_count: count,
  autoanalyze_count: count,
  heap_bytes: count,
  indexes_bytes: count,
  toast_bytes: count,
  total_bytes: count,
  size_unavailable: z.enum(["locked"]).nullable(),
  partitions: count,
  next_month_partition_exists: z.boolean().nullable(),
});

export type TableStatsRow = z.infer<typeof row>;

const spec: MetricSpec<TableStatsRow> = {
  id: "table_stats",
  description: "Per-table scans, tuples, vacuum/analyze and sizes (partitions summed into their parent)",
  scope: "database",
  lane: "bulk",
  intervalMs: 2 * 60_000,
  timeoutMs: 15_000,
  sql: { 130000: sql(PM_NONE) },
  row,
  labels: ["schemaname", "relname"],
  counters: ["seq_scan", "idx_scan", "n_tup_ins", "n_tup_upd", "n_tup_del"],
  gauges: [
    "heap_bytes", "indexes_bytes", "toast_bytes", "total_bytes", "n_live_tup", "n_dead_tup",
    "n_mod_since_analyze", "n_ins_since_vacuum", "xid_age", "dead_ratio",
  ],
  rowHistory: true,
  // The SQL depends on the capabilities of the moment: the task picks it at each run.
  task: () => createTableStatsTask(),
};

export const tableStats = defineMetric(spec);
const fromView = defineMetric({ ...spec, sql: { 130000: sql(PM_FROM_VIEW) } });

/** The definition reading the performance_metrics view when the target has it. */
export function tableStatsFor(caps: Capabilities): MetricDefinition {
  return caps.objects.performance_metrics ? fromView : tableStats;
}
