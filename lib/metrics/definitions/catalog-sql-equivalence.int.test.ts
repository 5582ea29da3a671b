import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createIndexStatsTask } from "@/lib/collector/tasks/index-stats";
import { pickSql } from "@/lib/metrics/run";
import type { MetricResult } from "@/lib/metrics/types";
import { useMetricTestTarget } from "@/test/support/metric-target";
import type { TestTarget } from "@/test/support/target";
import { SUPPORTED_MAJORS, type TestDatabase } from "@/test/db";
import { indexStats } from "./index-stats";
import { tableStats } from "./table-stats";

// The cheaper index_stats and table_stats statements must give exactly the figures the
// statements they replaced gave. The replaced SQL is kept here, and only here, as the
// reference; both run over one schema with every shape the catalog queries treat apart
// (partitioned tables two levels deep, partitioned indexes, TOAST, expression, partial,
// duplicate and prefix indexes, unlogged tables with an init fork, a matview, locked
// tables), in one REPEATABLE READ transaction, so statistics and xid ages are the same
// instant for both, and the rows are compared one by one.

const SCHEMA = `
  CREATE SCHEMA app;
  CREATE TABLE app.events (id bigint NOT NULL, kind text NOT NULL, at timestamptz NOT NULL, payload text)
    PARTITION BY RANGE (at);
  CREATE TABLE app.events_2026_01 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
  -- A partition that is itself partitioned: sizes and leaves two levels down.
  CREATE TABLE app.events_2026_02 PARTITION OF app.events FOR VALUES FROM ('2026-02-01') TO ('2026-03-01')
    PARTITION BY LIST (kind);
  CREATE TABLE app.events_2026_02_a PARTITION OF app.events_2026_02 FOR VALUES IN ('a');
  CREATE TABLE app.events_2026_02_b PARTITION OF app.events_2026_02 FOR VALUES IN ('b');
  CREATE TABLE app.events_empty (id bigint, at timestamptz NOT NULL) PARTITION BY RANGE (at);
  CREATE INDEX events_kind_at ON app.events (kind, at);
  CREATE INDEX events_kind ON app.events (kind);
  CREATE UNIQUE INDEX events_pk ON app.events (id, at, kind);
  CREATE INDEX events_empty_at ON app.events_empty (at);
  INSERT INTO app.events SELECT g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END,
    timestamptz '2026-01-01' + (g % 50) * interval '1 day', CASE WHEN g % 10 = 0 THEN repeat(md5(g::text), 200) END
    FROM generate_series(1, 4000) g;
  CREATE TABLE public.users (id int PRIMARY KEY, email text NOT NULL, active boolean, bio text);
  INSERT INTO public.users SELECT g, 'u' || g || '@example.org', g % 3 = 0, repeat(md5(g::text), 120)
    FROM generate_series(1, 800) g;
  CREATE INDEX users_lower_email ON public.users (lower(email));
  CREATE INDEX users_active_partial ON public.users (email) WHERE active;
  CREATE INDEX users_email ON public.users (email);
  CREATE INDEX users_email_dup ON public.users (email);
  CREATE INDEX users_email_active ON public.users (email, active);
  CREATE TABLE public.no_indexes (k text);
  INSERT INTO public.no_indexes VALUES ('x'), ('y');
  CREATE UNLOGGED TABLE public.scratch (id int PRIMARY KEY, v text);
  INSERT INTO public.scratch SELECT g, md5(g::text) FROM generate_series(1, 300) g;
  CREATE MATERIALIZED VIEW public.user_counts AS SELECT active, count(*) AS n FROM public.users GROUP BY active;
  CREATE INDEX user_counts_active ON public.user_counts (active);
  DELETE FROM public.users WHERE id % 7 = 0;
  -- No autovacuum between the two statements: the figures must hold still.
  DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('app', 'public') AND c.relkind IN ('r', 'm') LOOP
      EXECUTE format('ALTER TABLE %s SET (autovacuum_enabled = off)', r.rel);
    END LOOP;
  END $$;
`;

const OLD_INDEX_STATS = `/* pgpulse */
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
       dup.indexname AS duplicate_of,
       pfx.indexname AS prefix_of
FROM ix
LEFT JOIN dup ON dup.indexrelid = ix.indexrelid
LEFT JOIN pfx ON pfx.indexrelid = ix.indexrelid
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = ix.indexrelid
ORDER BY ix.schemaname, ix.tablename, ix.indexname`;

const OLD_TABLE_STATS = `/* pgpulse */
WITH RECURSIVE pm AS (
  SELECT NULL::text AS schemaname, NULL::text AS relname, NULL::bigint AS seq_scan,
         NULL::bigint AS idx_scan, NULL::bigint AS n_tup_ins, NULL::bigint AS n_tup_upd,
         NULL::bigint AS n_tup_del
  WHERE false
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
-- Referenced twice, so materialized once: each size function runs once per relation.
sized AS (
  SELECT b.*,
         CASE WHEN b.relkind <> 'p' AND NOT b.is_locked THEN pg_relation_size(b.oid) END AS heap_bytes,
         CASE WHEN b.relkind <> 'p' AND NOT b.is_locked THEN pg_indexes_size(b.oid) END AS indexes_bytes,
         CASE WHEN b.relkind <> 'p' AND NOT b.is_locked
              THEN CASE WHEN b.reltoastrelid <> 0 THEN pg_total_relation_size(b.reltoastrelid) ELSE 0 END
         END AS toast_bytes,
         CASE WHEN b.relkind <> 'p' AND NOT b.is_locked THEN pg_total_relation_size(b.oid) END AS total_bytes
  FROM base b
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

type Row = Record<string, unknown>;

async function both(client: pg.PoolClient, oldSql: string, newSql: string, newParams: unknown[]): Promise<[Row[], Row[]]> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  try {
    const a = (await client.query(oldSql)).rows;
    const b = (await client.query(newSql, newParams)).rows;
    return [a, b];
  } finally {
    await client.query("ROLLBACK");
  }
}

function expectSameRows(oldRows: Row[], newRows: Row[]): void {
  expect(newRows.length).toBe(oldRows.length);
  oldRows.forEach((o, i) => expect(newRows[i]).toEqual(o));
}

describe.each(SUPPORTED_MAJORS)("rewritten catalog SQL on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let admin: pg.Client;
  let target: TestTarget;
  useMetricTestTarget(major, async (a) => {
    await a.query(SCHEMA);
    // A multi-statement query is one transaction: VACUUM goes on its own (fsm and vm forks).
    await a.query("VACUUM ANALYZE");
  }, (fx) => ({ db, admin, target } = fx));

  async function compare(oldSql: string, newSql: string, params: unknown[] = []): Promise<Row[]> {
    const client = await target.pool.connect();
    try {
      const [a, b] = await both(client, oldSql, newSql, params);
      expectSameRows(a, b);
      return a;
    } finally {
      client.release();
    }
  }

  it("the monitoring session runs without JIT", async () => {
    const { rows } = await target.pool.query("SELECT current_setting('jit') AS jit");
    expect(rows[0].jit).toBe("off");
  });

  it("index_stats: every row and figure as before", async () => {
    const rows = await compare(OLD_INDEX_STATS, pickSql(indexStats, target.ctx.caps.serverVersionNum)!);
    const byName = new Map(rows.map((r) => [r.index, r]));
    // The schema's shapes are really there, so the comparison covers them.
    expect(byName.get("events_kind_at")).toMatchObject({ is_partitioned: true });
    expect(Number(byName.get("events_kind_at")!.size_bytes)).toBeGreaterThan(0);
    expect(byName.get("events_empty_at")).toMatchObject({ is_partitioned: true, size_bytes: 0 });
    expect(byName.get("users_email_dup")!.duplicate_of ?? byName.get("users_email")!.duplicate_of).not.toBeNull();
    expect(byName.get("users_email")!.prefix_of).toBe("users_email_active");
  });

  it("table_stats: every row and figure as before, sizes summed from their parts", async () => {
    const rows = await compare(OLD_TABLE_STATS, pickSql(tableStats, target.ctx.caps.serverVersionNum)!, [true]);
    const byName = new Map(rows.map((r) => [r.relname, r]));
    expect(Number(byName.get("users")!.toast_bytes)).toBeGreaterThan(0);
    expect(byName.get("events")).toMatchObject({ is_partitioned: true, partitions: 3 });
    expect(byName.get("events_empty")).toMatchObject({ partitions: 0, total_bytes: 0 });
    expect(Number(byName.get("scratch")!.total_bytes)).toBeGreaterThan(0);
  });

  it("table_stats with a leaf and a TOASTed table behind ACCESS EXCLUSIVE locks", async () => {
    const locker = new (admin.constructor as typeof pg.Client)({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE app.events_2026_02_a IN ACCESS EXCLUSIVE MODE");
      await locker.query("LOCK TABLE public.users IN ACCESS EXCLUSIVE MODE");
      const tables = await compare(OLD_TABLE_STATS, pickSql(tableStats, target.ctx.caps.serverVersionNum)!, [true]);
      expect(tables.find((r) => r.relname === "events")!.size_unavailable).toBe("locked");
      expect(tables.find((r) => r.relname === "users")!.size_unavailable).toBe("locked");
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
  });

  it("index_stats task: keeps definitions while the catalog stands, re-reads them after a change", async () => {
    const task = createIndexStatsTask();
    const rowsOf = (r: MetricResult) => {
      if (r.status !== "ok") throw new Error(`index_stats: ${r.status}`);
      return r.rows;
    };
    // Statements per run, counted by connections taken: 1 for the changing part alone, 2 with a full read.
    let taken = 0;
    const count = () => taken++;
    target.pool.on("acquire", count);
    const reference = async () => (await target.pool.query(OLD_INDEX_STATS)).rows;
    try {
      expectSameRows(await reference(), rowsOf(await task.run(target.ctx)));
      taken = 0;
      const kept = rowsOf(await task.run(target.ctx));
      expect(taken).toBe(1);
      expectSameRows(await reference(), kept);

      await admin.query("ALTER TABLE public.users RENAME COLUMN email TO mail");
      await admin.query("ALTER INDEX public.users_email_dup RENAME TO users_mail_dup");
      taken = 0;
      const changed = rowsOf(await task.run(target.ctx));
      expect(taken).toBe(2);
      expectSameRows(await reference(), changed);
      expect(changed.find((r) => r.index === "users_email")!.definition).toContain("(mail)");
      expect(changed.find((r) => r.index === "users_mail_dup")).toBeDefined();
      await admin.query("CREATE INDEX users_bio ON public.users (left(bio, 10))");
      taken = 0;
      const added = rowsOf(await task.run(target.ctx));
      expect(taken).toBe(2);
      expectSameRows(await reference(), added);

      // Kept definitions need no pg_get_indexdef, which waits behind a lock on the table.
      const locker = new (admin.constructor as typeof pg.Client)({ connectionString: db.url });
      await locker.connect();
      try {
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE app.events_2026_02_a IN ACCESS EXCLUSIVE MODE");
        const whileLocked = rowsOf(await task.run(target.ctx));
        expect(whileLocked.find((r) => r.index === "events_kind_at")).toMatchObject({ size_bytes: null, size_unavailable: null });
        expect(whileLocked.find((r) => r.index === "users_email")!.size_bytes).toEqual(expect.any(Number));
      } finally {
        await locker.query("ROLLBACK");
        await locker.end();
      }
    } finally {
      target.pool.off("acquire", count);
      await admin.query("DROP INDEX IF EXISTS public.users_bio");
      await admin.query("ALTER INDEX IF EXISTS public.users_mail_dup RENAME TO users_email_dup");
      await admin.query("ALTER TABLE public.users RENAME COLUMN mail TO email");
    }
  });
});
