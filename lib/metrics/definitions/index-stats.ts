import { z } from "zod";
import { createIndexStatsTask } from "@/lib/collector/tasks/index-stats";
import { defineMetric } from "../define";

// Per-index usage and size every 5 minutes, with two findings a DBA acts on:
// - unused: never scanned since the last stats reset, and dropping it would lose nothing
//   structural (not unique, not primary, valid);
// - duplicate_of: another valid index on the same table with the same access method, key
//   columns, expressions, opclasses, collations, options and predicate. Expressions and
//   predicates are compared deparsed: the stored node trees carry parse locations that differ
//   between identical definitions. Of a duplicate pair, the one to drop points at the keeper
//   (primary over unique over plain, then the older one).
// - prefix_of: a plain btree whose key columns lead a wider btree's keys (cheap to detect, and
//   usually redundant).
// Sizes are skipped for indexes under an ACCESS EXCLUSIVE lock (see table_stats).

// Indexes under an ACCESS EXCLUSIVE lock (granted or awaited): size functions would wait on them.
const LOCKED = `locked AS (
  SELECT DISTINCT l.relation
  FROM pg_locks l
  WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
)`;

// Every partitioned index's leaves, walked through pg_inherits (pg_partition_tree() would lock
// every leaf) for all of them at once and grouped: a subquery per partitioned index was
// estimated so dear (≈ 750,000 at 2,000 tables) that it crossed the JIT thresholds.
const PARTITIONED_SIZES = `ptree AS (
  SELECT ix.indexrelid AS root, i.inhrelid AS relid
  FROM ix JOIN pg_inherits i ON i.inhparent = ix.indexrelid
  WHERE ix.relkind = 'I'
  UNION ALL
  SELECT t.root, i.inhrelid FROM ptree t JOIN pg_inherits i ON i.inhparent = t.relid
),
ps AS (
  SELECT t.root,
         CASE WHEN bool_or(lk.locked) THEN NULL
              ELSE coalesce(sum(CASE WHEN NOT lk.locked THEN pg_relation_size(t.relid) END), 0) END AS size_bytes
  FROM ptree t
  JOIN pg_class c ON c.oid = t.relid AND c.relkind = 'i'
  JOIN pg_index x2 ON x2.indexrelid = t.relid
  CROSS JOIN LATERAL (SELECT t.relid IN (SELECT relation FROM locked)
                          OR x2.indrelid IN (SELECT relation FROM locked) AS locked) lk
  GROUP BY t.root
)`;

// size_bytes, shared by both statements below.
const SIZE_BYTES = `CASE WHEN ix.is_locked THEN NULL
            -- A partitioned index has no storage of its own: the sum of its leaves (a parent
            -- without leaf indexes really is empty; one with a locked leaf is unknown).
            WHEN ix.relkind = 'I' THEN CASE WHEN ps.root IS NULL THEN 0 ELSE ps.size_bytes END
            ELSE pg_relation_size(ix.indexrelid) END`;

// Never scanned since the last stats reset, and nothing structural lost by dropping it.
const UNUSED = `coalesce(s.idx_scan = 0 AND NOT ix.indisunique AND NOT ix.indisprimary AND ix.indisvalid, false)`;

const SQL = `/* pgpulse */
WITH RECURSIVE ${LOCKED},
ix AS (
  SELECT x.indexrelid, x.indrelid, n.nspname::text AS schemaname, t.relname::text AS tablename,
         i.relname::text AS indexname, i.relkind, am.amname, x.indisunique, x.indisprimary,
         x.indisvalid, x.indnkeyatts,
         x.indkey::text AS indkey, x.indclass::text AS indclass, x.indcollation::text AS indcollation,
         x.indoption::text AS indoption,
         pg_get_expr(x.indexprs, x.indrelid) AS exprs, pg_get_expr(x.indpred, x.indrelid) AS pred,
         (x.indkey::int2[])[0:x.indnkeyatts - 1] AS keycols,
         (x.indclass::oid[])[0:x.indnkeyatts - 1] AS keyclasses,
         (x.indexrelid IN (SELECT relation FROM locked) OR x.indrelid IN (SELECT relation FROM locked)) AS is_locked
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = i.relnamespace
  JOIN pg_am am ON am.oid = i.relam
  WHERE i.relkind IN ('i', 'I') AND i.relpersistence <> 't'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgpulse') AND n.nspname !~ '^pg_toast'
),
-- duplicate_of / prefix_of: the pairs of indexes of one table, joined once on indrelid (a
-- lookup per index scanning every index was quadratic: 15 s timeouts at 20,000 indexes).
-- DISTINCT ON keeps each index's first match in the keeper order. Materialized unfiltered:
-- filtered scans of a CTE are estimated at ~1 row and the planner then nests loops over them.
pairs AS MATERIALIZED (
  SELECT a.indexrelid AS a_indexrelid, a.amname AS a_amname, a.indisvalid AS a_indisvalid,
         a.indisunique AS a_indisunique, a.indisprimary AS a_indisprimary, a.indnkeyatts AS a_indnkeyatts,
         a.indkey AS a_indkey, a.indclass AS a_indclass, a.indcollation AS a_indcollation,
         a.indoption AS a_indoption, a.exprs AS a_exprs, a.pred AS a_pred,
         a.keycols AS a_keycols, a.keyclasses AS a_keyclasses,
         k.indexrelid AS k_indexrelid, k.indexname AS k_indexname, k.amname AS k_amname,
         k.indisvalid AS k_indisvalid, k.indisunique AS k_indisunique, k.indisprimary AS k_indisprimary,
         k.indnkeyatts AS k_indnkeyatts, k.indkey AS k_indkey, k.indclass AS k_indclass,
         k.indcollation AS k_indcollation, k.indoption AS k_indoption, k.exprs AS k_exprs, k.pred AS k_pred,
         k.keycols AS k_keycols, k.keyclasses AS k_keyclasses
  FROM ix a
  JOIN ix k ON k.indrelid = a.indrelid AND k.indexrelid <> a.indexrelid
),
dup AS (
  SELECT DISTINCT ON (a_indexrelid) a_indexrelid AS indexrelid, k_indexname AS indexname
  FROM pairs
  WHERE k_indisvalid
    AND k_amname = a_amname AND k_indkey = a_indkey AND k_indclass = a_indclass
    AND k_indcollation = a_indcollation AND k_indoption = a_indoption
    AND k_indnkeyatts = a_indnkeyatts
    AND k_exprs IS NOT DISTINCT FROM a_exprs AND k_pred IS NOT DISTINCT FROM a_pred
    -- A unique index enforces something: it is never the duplicate of a plain one.
    AND (NOT a_indisunique OR k_indisunique)
    AND (k_indisprimary, k_indisunique, -k_indexrelid::bigint) > (a_indisprimary, a_indisunique, -a_indexrelid::bigint)
  ORDER BY a_indexrelid, k_indisprimary DESC, k_indisunique DESC, k_indexrelid
),
pfx AS (
  SELECT DISTINCT ON (a_indexrelid) a_indexrelid AS indexrelid, k_indexname AS indexname
  FROM pairs
  WHERE a_amname = 'btree' AND k_amname = 'btree' AND NOT a_indisunique AND a_indisvalid
    AND k_indisvalid
    AND a_exprs IS NULL AND k_exprs IS NULL
    AND k_pred IS NOT DISTINCT FROM a_pred
    AND k_indnkeyatts > a_indnkeyatts
    AND k_keycols[1:a_indnkeyatts] = a_keycols
    AND k_keyclasses[1:a_indnkeyatts] = a_keyclasses
  ORDER BY a_indexrelid, k_indnkeyatts, k_indexrelid
),
${PARTITIONED_SIZES}
SELECT ix.schemaname, ix.tablename AS "table", ix.indexname AS "index",
       ${SIZE_BYTES} AS size_bytes,
       CASE WHEN ix.is_locked THEN 'locked' END AS size_unavailable,
       s.idx_scan, s.idx_tup_read, s.idx_tup_fetch,
       ix.indisunique AS is_unique, ix.indisprimary AS is_primary, ix.indisvalid AS is_valid,
       ix.relkind = 'I' AS is_partitioned,
       pg_get_indexdef(ix.indexrelid) AS definition,
       ${UNUSED} AS unused,
       dup.indexname AS duplicate_of,
       pfx.indexname AS prefix_of
FROM ix
LEFT JOIN dup ON dup.indexrelid = ix.indexrelid
LEFT JOIN pfx ON pfx.indexrelid = ix.indexrelid
LEFT JOIN ps ON ps.root = ix.indexrelid
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = ix.indexrelid
ORDER BY ix.schemaname, ix.tablename, ix.indexname`;

// What changes between two runs while the catalog stands still: sizes and scan counters, and
// a version of the catalog rows the rest is derived from (index, table and schema rows, the
// pg_index row, the indexed columns: any ALTER, rename, REINDEX or validation writes a new row
// version; VACUUM and ANALYZE update pg_class in place and leave it). The task re-reads
// definitions, duplicates and prefixes (pg_get_indexdef, the pairs above) only when it changed.
export const INDEX_STATS_CHANGING_SQL = `/* pgpulse */
WITH RECURSIVE ${LOCKED},
ix AS (
  SELECT x.indexrelid, x.indrelid, x.indkey, n.nspname::text AS schemaname, i.relname::text AS indexname, i.relkind,
         x.indisunique, x.indisprimary, x.indisvalid,
         (x.indexrelid IN (SELECT relation FROM locked) OR x.indrelid IN (SELECT relation FROM locked)) AS is_locked,
         concat_ws(':', x.indexrelid, i.xmin, x.xmin, t.xmin, n.xmin) AS version
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = i.relnamespace
  WHERE i.relkind IN ('i', 'I') AND i.relpersistence <> 't'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgpulse') AND n.nspname !~ '^pg_toast'
),
${PARTITIONED_SIZES},
catalog AS (
  SELECT md5(string_agg(ix.version || coalesce(':' || cols.v, ''), ',' ORDER BY ix.indexrelid)) AS version
  FROM ix
  LEFT JOIN LATERAL (SELECT string_agg(a.xmin::text, ':' ORDER BY a.attnum) AS v
                     FROM pg_attribute a WHERE a.attrelid = ix.indrelid AND a.attnum = ANY (ix.indkey::int2[])) cols ON true
)
SELECT ix.schemaname, ix.indexname AS "index",
       ${SIZE_BYTES} AS size_bytes,
       CASE WHEN ix.is_locked THEN 'locked' END AS size_unavailable,
       s.idx_scan, s.idx_tup_read, s.idx_tup_fetch, ${UNUSED} AS unused,
       (SELECT version FROM catalog) AS catalog_version
FROM ix
LEFT JOIN ps ON ps.root = ix.indexrelid
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = ix.indexrelid`;

const count = z.number().int().nonnegative().nullable();

const row = z.object({
  schemaname: z.string(),
  table: z.string(),
  index: z.string(),
  size_bytes: count,
  size_unavailable: z.enum(["locked"]).nullable(),
  /** NULL for partitioned indexes (no stats of their own): kept NULL. */
  idx_scan: count,
  idx_tup_read: count,
  idx_tup_fetch: count,
  is_unique: z.boolean(),
  is_primary: z.boolean(),
  is_valid: z.boolean(),
  is_partitioned: z.boolean(),
  definition: z.string(),
  unused: z.boolean(),
  duplicate_of: z.string().nullable(),
  prefix_of: z.string().nullable(),
});

export type IndexStatsRow = z.infer<typeof row>;

export const indexStatsChangingRow = row
  .pick({ schemaname: true, index: true, size_bytes: true, size_unavailable: true, idx_scan: true, idx_tup_read: true, idx_tup_fetch: true, unused: true })
  .extend({ catalog_version: z.string() });

export const indexStats = defineMetric<IndexStatsRow>({
  id: "index_stats",
  description: "Per-index scans, size, definition; unused, duplicate and prefix-redundant indexes",
  scope: "database",
  lane: "bulk",
  intervalMs: 5 * 60_000,
  timeoutMs: 15_000,
  sql: { 130000: SQL },
  row,
  labels: ["schemaname", "table", "index"],
  counters: ["idx_scan", "idx_tup_read", "idx_tup_fetch"],
  gauges: ["size_bytes"],
  rowHistory: true,
  task: () => createIndexStatsTask(),
});
