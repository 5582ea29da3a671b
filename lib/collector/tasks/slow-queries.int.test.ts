import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprintSql, loadSqlParser } from "@/lib/analysis/sql-text";
import { slowQueries, type SlowQueryRow } from "@/lib/metrics/definitions/slow-queries";
import { runMetric } from "@/lib/metrics/run";
import type { MetricResult } from "@/lib/metrics/types";
import { createTestDatabase, SUPPORTED_MAJORS, type TestDatabase } from "@/test/db";
import { createSlowQueriesTask } from "./slow-queries";
import { openTestTarget, type TestTarget } from "@/test/support/target";

const rowsOf = (r: MetricResult) => {
  if (r.status !== "ok") throw new Error(`slow_queries: ${r.status} ${"error" in r ? r.error : ""}`);
  return r.rows as SlowQueryRow[];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(SUPPORTED_MAJORS)("slow_queries on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let admin: pg.Client;
  let target: TestTarget;

  beforeAll(async () => {
    await loadSqlParser();
    db = await createTestDatabase(major);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`
      CREATE EXTENSION pg_stat_statements;
      CREATE TABLE slow_query_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(), query_text text,
        execution_time interval, captured_at timestamptz DEFAULT current_timestamp);
    `);
    target = await openTestTarget(db.url, { queryTimeMs: 1000 });
  });

  afterAll(async () => {
    await target?.end();
    await admin?.end();
    await db?.drop();
  });

  it("reads slow_query_log rows once, through its cursor", async () => {
    const task = createSlowQueriesTask();
    await admin.query(`INSERT INTO slow_query_log (query_text, execution_time, captured_at)
      VALUES ('SELECT * FROM birth_charts WHERE place = ''Pune''', '1.5 s', now() - interval '10 minutes'),
             ('SELECT 1', '2 s', now() - interval '2 hours')`);
    const first = rowsOf(await task.run(target.ctx)).filter((r) => r.source === "slow_query_log");
    // The first run reads the last hour only.
    expect(first).toHaveLength(1);
    expect(first[0].duration_ms).toBeCloseTo(1500, 6);
    expect(first[0].calls).toBe(1);
    expect(first[0].query).toBe("SELECT * FROM birth_charts WHERE place = 'Pune'");
    expect(first[0].fingerprint).toBe(fingerprintSql("select * from birth_charts where place = 'Jaipur'"));

    expect(rowsOf(await task.run(target.ctx)).filter((r) => r.source === "slow_query_log")).toHaveLength(0);

    // Two rows in the same microsecond still come once each: the cursor is (captured_at, id).
    await admin.query(`INSERT INTO slow_query_log (query_text, execution_time) VALUES ('SELECT 2', '1.1 s'), ('SELECT 3', '1.2 s')`);
    const later = rowsOf(await task.run(target.ctx)).filter((r) => r.source === "slow_query_log");
    expect(later.map((r) => r.query).sort()).toEqual(["SELECT 2", "SELECT 3"]);
    expect(rowsOf(await task.run(target.ctx)).filter((r) => r.source === "slow_query_log")).toHaveLength(0);
  });

  it("shows pg_sleep(2) as running during its run, then as a pg_stat_statements window", async () => {
    const task = createSlowQueriesTask();
    const baseline = rowsOf(await task.run(target.ctx));
    expect(baseline.filter((r) => r.source === "pg_stat_statements")).toHaveLength(0);

    const sleeper = new pg.Client({ connectionString: db.url, application_name: "kundli-app" });
    await sleeper.connect();
    try {
      const startedAt = Date.now();
      // Two seconds, so a loaded machine still has a second past the 1 s line to catch it running.
      const done = sleeper.query("SELECT pg_sleep(2)");
      let running: SlowQueryRow | undefined;
      while (!running && Date.now() - startedAt < 1900) {
        await sleep(100);
        running = rowsOf(await task.run(target.ctx)).find((r) => r.source === "running" && r.query.includes("pg_sleep"));
      }
      await done;
      expect(running).toBeDefined();
      expect(running!.duration_ms!).toBeGreaterThan(1000);
      expect(running!.pid).toBe((sleeper as unknown as { processID: number }).processID);
      expect(running!.calls).toBe(1);
      expect(running!.fingerprint).toBe(fingerprintSql("SELECT pg_sleep(2)"));

      const after = rowsOf(await task.run(target.ctx));
      const entry = after.find((r) => r.source === "pg_stat_statements" && r.query.includes("pg_sleep"));
      expect(entry).toBeDefined();
      expect(entry!.calls).toBe(1);
      expect(entry!.duration_ms!).toBeGreaterThan(1950);
      expect(entry!.duration_ms!).toBeLessThan(4000);
      expect(entry!.total_ms).toBeCloseTo(entry!.duration_ms!, 6);
      expect(entry!.queryid).toMatch(/^-?\d+$/);
      expect(entry!.fingerprint).toBe(running!.fingerprint);
      expect(after.some((r) => r.source === "running" && r.query.includes("pg_sleep"))).toBe(false);
      // Our own statements never show up.
      expect(after.some((r) => r.query.includes("/* pgpulse"))).toBe(false);

      // No new call: no new window.
      const again = rowsOf(await task.run(target.ctx));
      expect(again.some((r) => r.source === "pg_stat_statements" && r.query.includes("pg_sleep"))).toBe(false);
    } finally {
      await sleeper.end();
    }
  });

  it("the registered definition (running statements over 1 s) runs on its own", async () => {
    const r = await runMetric(target.pool, slowQueries, target.ctx.caps, "t");
    expect(r.status).toBe("ok");
    if (r.status === "ok") expect(r.rows).toEqual([]);
  });

  it("reads an older pg_stat_statements version installed on this server", async () => {
    const versions = (await admin.query("SELECT version FROM pg_available_extension_versions WHERE name = 'pg_stat_statements'")).rows.map((r) => r.version as string);
    // 1.7 has total_time (pre-1.8 names), 1.8 total_exec_time without toplevel.
    const old = ["1.7", "1.8"].find((v) => versions.includes(v));
    expect(old).toBeDefined();
    await admin.query("DROP EXTENSION pg_stat_statements");
    await admin.query(`CREATE EXTENSION pg_stat_statements VERSION '${old}'`);
    expect((await target.refresh()).extensions.pg_stat_statements.version).toBe(old);
    const fast = await openTestTarget(db.url, { queryTimeMs: 100 });
    try {
      const task = createSlowQueriesTask();
      rowsOf(await task.run(fast.ctx));
      await admin.query("SELECT pg_sleep(0.25)");
      const entry = rowsOf(await task.run(fast.ctx)).find((r) => r.source === "pg_stat_statements" && r.query.includes("pg_sleep"));
      expect(entry).toBeDefined();
      expect(entry!.duration_ms!).toBeGreaterThan(240);
      expect(entry!.calls).toBe(1);
    } finally {
      await fast.end();
    }
  });
});
