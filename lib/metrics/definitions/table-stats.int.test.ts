import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTableStatsTask } from "@/lib/collector/tasks/table-stats";
import { useMetricTestTarget } from "@/test/support/metric-target";
import type { TestTarget } from "@/test/support/target";
import type { MetricResult } from "@/lib/metrics/types";
import { SUPPORTED_MAJORS, type TestDatabase } from "@/test/db";
import type { TableStatsRow } from "./table-stats";

const rowsOf = (r: MetricResult) => {
  if (r.status !== "ok") throw new Error(`table_stats: ${r.status} ${"error" in r ? r.error : ""}`);
  return new Map((r.rows as TableStatsRow[]).map((x) => [x.relname, x]));
};

describe.each(SUPPORTED_MAJORS)("table_stats on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let admin: pg.Client;
  let target: TestTarget;
  // Every run sized: these cases check what one sized run reads.
  const task = createTableStatsTask({ sizeRuns: 1 });

  useMetricTestTarget(major, async (admin) => {
    // The guidelines' monthly partitions: this month and next, with rows in this month.
    await admin.query(`
      CREATE TABLE birth_charts (id int, user_id int, birth_time timestamptz NOT NULL, place text)
        PARTITION BY RANGE (birth_time);
      CREATE INDEX ON birth_charts (user_id, birth_time);
      DO $$ DECLARE m timestamptz := date_trunc('month', now()); BEGIN
        EXECUTE format('CREATE TABLE birth_charts_cur PARTITION OF birth_charts FOR VALUES FROM (%L) TO (%L)', m, m + interval '1 month');
        EXECUTE format('CREATE TABLE birth_charts_next PARTITION OF birth_charts FOR VALUES FROM (%L) TO (%L)', m + interval '1 month', m + interval '2 months');
        EXECUTE format('CREATE TABLE audit_log (id int, at timestamptz NOT NULL) PARTITION BY RANGE (at)');
        EXECUTE format('CREATE TABLE audit_log_cur PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)', m, m + interval '1 month');
      END $$;
      INSERT INTO birth_charts SELECT g, g % 100, date_trunc('month', now()) + (g % 20) * interval '1 day', repeat('Pune', 50)
        FROM generate_series(1, 5000) g;
      CREATE TABLE users (id int PRIMARY KEY, is_active boolean, bio text);
      INSERT INTO users SELECT g, g % 2 = 0, repeat(md5(g::text), 100) FROM generate_series(1, 300) g;
      CREATE TABLE query_cache (k text, expires_at timestamptz);
      INSERT INTO query_cache VALUES ('a', now());
    `);
  }, (fx) => ({ db, admin, target } = fx));

  it("sums a partitioned table's leaves into its parent and lists each partition", async () => {
    const rows = rowsOf(await task.run(target.ctx));
    const parent = rows.get("birth_charts")!;
    const cur = rows.get("birth_charts_cur")!;
    const next = rows.get("birth_charts_next")!;
    expect(parent.is_partitioned).toBe(true);
    expect(parent.partitions).toBe(2);
    expect(parent.total_bytes).toBeGreaterThan(0);
    expect(parent.total_bytes).toBe(cur.total_bytes! + next.total_bytes!);
    expect(parent.heap_bytes).toBe(cur.heap_bytes! + next.heap_bytes!);
    expect(parent.indexes_bytes).toBe(cur.indexes_bytes! + next.indexes_bytes!);
    expect(cur.parent).toBe("public.birth_charts");
    expect(cur.is_partitioned).toBe(false);
    expect(parent.parent).toBeNull();
    expect(parent.next_month_partition_exists).toBe(true);
    expect(rows.get("audit_log")!.next_month_partition_exists).toBe(false);
    expect(rows.get("users")!.next_month_partition_exists).toBeNull();
    // users.bio is TOASTed (compressible but 3,200 bytes × 300 rows).
    const users = rows.get("users")!;
    expect(users.toast_bytes).toBeGreaterThan(0);
    expect(users.total_bytes).toBeGreaterThanOrEqual(users.heap_bytes! + users.indexes_bytes! + users.toast_bytes!);
    expect(users.source).toBe("pg_stat_user_tables");
    expect(users.size_unavailable).toBeNull();
  });

  it("keeps idx_scan NULL for a table without indexes, and counts scans and tuples", async () => {
    await admin.query("SELECT count(*) FROM users");
    await admin.query("SELECT * FROM users WHERE id = 7");
    if (major >= 15) await admin.query("SELECT pg_stat_force_next_flush()");
    // Counters reach other sessions with a delay (stats collector before 15, flush after).
    let rows = rowsOf(await task.run(target.ctx));
    for (let i = 0; i < 40 && (rows.get("users")!.n_tup_ins !== 300 || (rows.get("users")!.idx_scan ?? 0) < 1); i++) {
      await new Promise((r) => setTimeout(r, 250));
      // Before 15 a backend sends its counters at the end of a later transaction (≥ 500 ms on).
      await admin.query("SELECT 1");
      rows = rowsOf(await task.run(target.ctx));
    }
    const users = rows.get("users")!;
    expect(users.n_tup_ins).toBe(300);
    expect(users.seq_scan).toBeGreaterThanOrEqual(1);
    expect(users.idx_scan).toBeGreaterThanOrEqual(1);
    expect(rows.get("query_cache")!.idx_scan).toBeNull();
    expect(rows.get("birth_charts")!.n_tup_ins).toBe(5000);
    expect(rows.get("birth_charts_cur")!.n_tup_ins).toBe(5000);
  });

  it("reads the performance_metrics view when the target has it", async () => {
    await admin.query(`CREATE VIEW performance_metrics AS
      SELECT schemaname, relname, seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables`);
    expect((await target.refresh()).objects.performance_metrics).toBe(true);
    const rows = rowsOf(await task.run(target.ctx));
    expect(rows.get("users")!.source).toBe("performance_metrics");
    expect(rows.get("users")!.n_tup_ins).toBe(300);
    expect(rows.get("birth_charts_cur")!.source).toBe("performance_metrics");
    expect(rows.get("birth_charts")!.source).toBe("performance_metrics");
  });

  it("skips sizing a relation behind an ACCESS EXCLUSIVE lock instead of waiting", async () => {
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
      await locker.query("LOCK TABLE birth_charts_next IN ACCESS EXCLUSIVE MODE");
      const started = Date.now();
      const rows = rowsOf(await task.run(target.ctx));
      // The pool's lock_timeout is 1 s: not waiting at all means well under it.
      expect(Date.now() - started).toBeLessThan(900);
      expect(rows.get("users")!.size_unavailable).toBe("locked");
      expect(rows.get("users")!.total_bytes).toBeNull();
      expect(rows.get("birth_charts")!.size_unavailable).toBe("locked");
      expect(rows.get("birth_charts")!.total_bytes).toBeNull();
      expect(rows.get("birth_charts_cur")!.total_bytes).toBeGreaterThan(0);
      expect(rows.get("query_cache")!.size_unavailable).toBeNull();
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
  });

  it("reads sizes at every 5th run and the counters at every run, sizing a new table at once", async () => {
    const cadenced = createTableStatsTask();
    const sizeOf = async () => rowsOf(await cadenced.run(target.ctx)).get("query_cache")!;
    const first = await sizeOf();
    const grow = () => admin.query("INSERT INTO query_cache SELECT md5(g::text), now() FROM generate_series(1, 2000) g");
    await grow();
    // Runs 2-5 carry the first run's sizes while a sized run reads the grown table.
    const second = await sizeOf();
    expect([second.heap_bytes, second.total_bytes]).toEqual([first.heap_bytes, first.total_bytes]);
    const grown = rowsOf(await task.run(target.ctx)).get("query_cache")!;
    expect(grown.heap_bytes!).toBeGreaterThan(first.heap_bytes!);
    // A table the last sized run did not know makes this run (the 3rd) a sized one.
    await admin.query("CREATE TABLE fresh_table (v text)");
    const third = rowsOf(await cadenced.run(target.ctx));
    expect(third.get("fresh_table")!.heap_bytes).toBe(0);
    expect(third.get("fresh_table")!.total_bytes).toEqual(expect.any(Number));
    expect(third.get("query_cache")!.heap_bytes).toBe(grown.heap_bytes);
    await grow();
    for (let run = 4; run <= 7; run++) expect((await sizeOf()).heap_bytes).toBe(third.get("query_cache")!.heap_bytes);
    // 5 runs after the sized 3rd: sized again.
    expect((await sizeOf()).heap_bytes!).toBeGreaterThan(third.get("query_cache")!.heap_bytes!);
    await admin.query("DROP TABLE fresh_table");
  });

  it("between sized runs, a relation locked now shows locked and the run after the lock is sized", async () => {
    const cadenced = createTableStatsTask();
    const first = rowsOf(await cadenced.run(target.ctx));
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
      const during = rowsOf(await cadenced.run(target.ctx));
      expect(during.get("users")).toMatchObject({ size_unavailable: "locked", total_bytes: null, heap_bytes: null });
      expect(during.get("birth_charts")!.total_bytes).toBe(first.get("birth_charts")!.total_bytes);
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
    await admin.query("INSERT INTO birth_charts SELECT g, 1, date_trunc('month', now()), repeat('x', 500) FROM generate_series(1, 2000) g");
    const after = rowsOf(await cadenced.run(target.ctx));
    expect(after.get("users")).toMatchObject({ size_unavailable: null, total_bytes: first.get("users")!.total_bytes });
    // Sized: the growth since the first run shows.
    expect(after.get("birth_charts")!.total_bytes!).toBeGreaterThan(first.get("birth_charts")!.total_bytes!);
  });
});
