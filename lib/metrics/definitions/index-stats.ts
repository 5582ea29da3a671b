import { z } from "zod";
import type { MetricDefinition } from "../types";

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

const SQL = `/* pgpulse */
WITH locked AS (
  SELECT DISTINCT l.relation
  FROM pg_locks l
  WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
),
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
)
SELECT ix.schemaname, ix.tablename AS "table", ix.indexname AS "index",
       CASE WHEN ix.is_locked THEN NULL
            -- A partitioned index has no storage of its own: sum its leaves.
            -- (walked through pg_inherits: pg_partition_tree() would lock every leaf).
            WHEN ix.relkind = 'I' THEN (
              WITH RECURSIVE t(relid) AS (
                SELECT inhrelid FROM pg_inherits WHERE inhparent = ix.indexrelid
                UNION ALL
                SELECT i.inhrelid FROM t JOIN pg_inherits i ON i.inhparent = t.relid
              )
              SELECT CASE WHEN bool_or(lk.locked) THEN NULL
                          ELSE coalesce(sum(CASE WHEN NOT lk.locked THEN pg_relation_size(t.relid) END), 0) END
              FROM t
              JOIN pg_class c ON c.oid = t.relid AND c.relkind = 'i'
              JOIN pg_index x2 ON x2.indexrelid = t.relid
              CROSS JOIN LATERAL (SELECT t.relid IN (SELECT relation FROM locked)
                                      OR x2.indrelid IN (SELECT relation FROM locked) AS locked) lk)
            ELSE pg_relation_size(ix.indexrelid) END AS size_bytes,
       CASE WHEN ix.is_locked THEN 'locked' END AS size_unavailable,
       s.idx_scan, s.idx_tup_read, s.idx_tup_fetch,
       ix.indisunique AS is_unique, ix.indisprimary AS is_primary, ix.indisvalid AS is_valid,
       ix.relkind = 'I' AS is_partitioned,
       pg_get_indexdef(ix.indexrelid) AS definition,
       coalesce(s.idx_scan = 0 AND NOT ix.indisunique AND NOT ix.indisprimary AND ix.indisvalid, false) AS unused,
       (SELECT k.indexname FROM ix k
         WHERE k.indrelid = ix.indrelid AND k.indexrelid <> ix.indexrelid AND k.indisvalid
           AND k.amname = ix.amname AND k.indkey = ix.indkey AND k.indclass = ix.indclass
           AND k.indcollation = ix.indcollation AND k.indoption = ix.indoption
           AND k.indnkeyatts = ix.indnkeyatts
           AND k.exprs IS NOT DISTINCT FROM ix.exprs AND k.pred IS NOT DISTINCT FROM ix.pred
           -- A unique index enforces something: it is never the duplicate of a plain one.
           AND (NOT ix.indisunique OR k.indisunique)
           AND (k.indisprimary, k.indisunique, -k.indexrelid::bigint) > (ix.indisprimary, ix.indisunique, -ix.indexrelid::bigint)
         ORDER BY k.indisprimary DESC, k.indisunique DESC, k.indexrelid
         LIMIT 1) AS duplicate_of,
       (SELECT k.indexname FROM ix k
         WHERE ix.amname = 'btree' AND k.amname = 'btree' AND NOT ix.indisunique AND ix.indisvalid
           AND k.indisvalid AND k.indrelid = ix.indrelid AND k.indexrelid <> ix.indexrelid
           AND ix.exprs IS NULL AND k.exprs IS NULL
           AND k.pred IS NOT DISTINCT FROM ix.pred
           AND k.indnkeyatts > ix.indnkeyatts
           AND k.keycols[1:ix.indnkeyatts] = ix.keycols
           AND k.keyclasses[1:ix.indnkeyatts] = ix.keyclasses
         ORDER BY k.indnkeyatts, k.indexrelid
         LIMIT 1) AS prefix_of
FROM ix
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = ix.indexrelid
ORDER BY ix.schemaname, ix.tablename, ix.indexname`;

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

export const indexStats: MetricDefinition<IndexStatsRow> = {
  id: "index_stats",
  description: "Per-index scans, size, definition; unused, duplicate and prefix-redundant indexes",
  scope: "database",
  intervalMs: 5 * 60_000,
  timeoutMs: 15_000,
  sql: { 130000: SQL },
  row,
  labels: ["schemaname", "table", "index"],
  counters: ["idx_scan", "idx_tup_read", "idx_tup_fetch"],
  gauges: ["size_bytes"],
  snapshot: true,
};
