import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprintSql, loadSqlParser, redactSql } from "@/lib/analysis/sql-text";
import type { SlowQueryRow } from "@/lib/metrics/definitions/slow-queries";
import type { MetricResult } from "@/lib/metrics/types";
import { toSlowGroups } from "@/lib/server/views/slow-queries";
import { createStore } from "@/lib/store/store";
import type { Store } from "@/lib/store/types";
import { createTestDatabase, SUPPORTED_MAJORS, type TestDatabase } from "@/test/db";
import { openTestTarget, type TestTarget } from "@/test/support/target";
import { createSlowQueriesTask } from "./slow-queries";

// One statement with different literals is one group on the queries page, whichever source saw
// it: caught running (pg_stat_activity's text, literals and all), as a pg_stat_statements window
// (its text has $1), and as the application's slow_query_log row. Through the real task and the
// real store, as the collector and the page use them; and the group's two counts: observations
// (events) and executions (pg_stat_statements' call deltas).

const LITERALS = ["1.2", "1.25", "1.3"];
const statement = (s: string) => `SELECT pg_sleep(${s}) AS e2e_slow`;
const rowsOf = (r: MetricResult) => {
  if (r.status !== "ok") throw new Error(`slow_queries: ${r.status} ${"error" in r ? r.error : ""}`);
  return r.rows as SlowQueryRow[];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(SUPPORTED_MAJORS)("pg_sleep(1.2 | 1.25 | 1.3) on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let storeDb: TestDatabase;
  let admin: pg.Client;
  let sleeper: pg.Client;
  let target: TestTarget;
  let store: Store;

  beforeAll(async () => {
    await loadSqlParser();
    [db, storeDb] = await Promise.all([createTestDatabase(major, "fp"), createTestDatabase(17, "fpstore")]);
    admin = new pg.Client({ connectionString: db.url });
    sleeper = new pg.Client({ connectionString: db.url, application_name: "kundli-app" });
    await Promise.all([admin.connect(), sleeper.connect()]);
    await admin.query(`
      CREATE EXTENSION pg_stat_statements;
      CREATE TABLE slow_query_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(), query_text text,
        execution_time interval, captured_at timestamptz DEFAULT current_timestamp);
    `);
    // Half a second: a pg_sleep(1.2) is over it for 0.7 s, room for a poll on a busy machine.
    target = await openTestTarget(db.url, { queryTimeMs: 500 });
    store = createStore({ url: storeDb.url, flushIntervalMs: 60_000 });
    await store.migrate();
  });

  afterAll(async () => {
    await store?.close();
    await target?.end();
    await Promise.all([admin?.end(), sleeper?.end()]);
    await Promise.all([db?.drop(), storeDb?.drop()]);
  });

  it("is one fingerprint and one group from every source; calls are pg_stat_statements deltas", async () => {
    const task = createSlowQueriesTask();
    const from = new Date();
    const results: MetricResult[] = [];
    const run = async () => {
      const r = await task.run(target.ctx);
      results.push(r);
      return rowsOf(r);
    };
    await run(); // pg_stat_statements' baseline

    for (const s of LITERALS) {
      const started = Date.now();
      const done = sleeper.query(statement(s));
      let caught = false;
      while (!caught && Date.now() - started < 1150) {
        await sleep(100);
        caught = (await run()).some((r) => r.source === "running" && r.query === statement(s));
      }
      await done;
      expect(caught, `${statement(s)} caught while running`).toBe(true);
      // As the application logs it: its own text, literal included.
      await admin.query("INSERT INTO slow_query_log (query_text, execution_time) VALUES ($1, $2::float8 * interval '1 second')", [statement(s), s]);
    }
    await run(); // the last window, and the log rows

    // A reset of this database's statistics, then one more call: that window is left out
    // (counters went down or restarted), never a negative number.
    await admin.query("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)");
    await sleeper.query(statement("1.2"));
    await run();

    for (const r of results) store.accept(r);
    await store.flush();
    const events = await store.read(async (p) =>
      (await p.query<{ source: string; fingerprint: string; query: string }>(
        "SELECT source, fingerprint, query FROM pgpulse.slow_query_events WHERE target_id = $1 AND query LIKE '%pg_sleep%' ORDER BY source",
        [target.ctx.targetId],
      )).rows,
    );
    // Every source saw it, each text with literals or $1 …
    expect([...new Set(events.map((e) => e.source))]).toEqual(["pg_stat_statements", "running", "slow_query_log"]);
    expect(events.some((e) => e.source === "pg_stat_statements" && e.query.includes("$1"))).toBe(true);
    expect(events.filter((e) => e.source === "running").map((e) => e.query).sort()).toEqual(LITERALS.map(statement));
    // … and every event has the one fingerprint: libpg-query's, not a hash of the text.
    const fp = fingerprintSql(statement("0"));
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect([...new Set(events.map((e) => e.fingerprint))]).toEqual([fp]);

    const groups = toSlowGroups(await store.slowQueryGroups(target.ctx.targetId, from, new Date(Date.now() + 1000)), redactSql);
    const mine = groups.filter((g) => g.example?.includes("pg_sleep"));
    expect(mine.map((g) => g.fingerprint)).toEqual([fp]);
    // Observations: three running captures, three log rows, and the pg_stat_statements windows.
    const windows = events.filter((e) => e.source === "pg_stat_statements").length;
    expect(windows).toBeGreaterThanOrEqual(1);
    expect(mine[0].count).toBe(6 + windows);
    // Executions: the three calls, each counted once by a delta (lifetime counters read on every
    // poll would add up to more); the call after the reset is not counted.
    expect(mine[0].calls).toBe(3);
  });

  it("a statement cut short in pg_stat_activity still joins its statistics entry's group (14+)", async () => {
    const task = createSlowQueriesTask();
    // Over track_activity_query_size (1 kB by default): pg_stat_activity keeps the first 1023 bytes.
    const long = (s: string) => `SELECT pg_sleep(${s}) AS e2e_slow, '${"x".repeat(1100)}' AS pad`;
    rowsOf(await task.run(target.ctx));
    await sleeper.query(long("0.6")); // the statistics entry, with the whole text
    rowsOf(await task.run(target.ctx));

    const started = Date.now();
    const done = sleeper.query(long("1.1"));
    let running: SlowQueryRow | undefined;
    while (!running && Date.now() - started < 1050) {
      await sleep(100);
      running = rowsOf(await task.run(target.ctx)).find((r) => r.source === "running" && r.query.startsWith("SELECT pg_sleep(1.1)"));
    }
    await done;
    expect(running).toBeDefined();
    expect(running!.query.length).toBeLessThan(long("1.1").length);
    // Alone, the cut text would be a group of its own.
    expect(fingerprintSql(running!.query)).not.toBe(fingerprintSql(long("1.1")));
    // PostgreSQL 13 has no query_id in pg_stat_activity: its cut texts keep their own hash.
    expect(running!.fingerprint).toBe(major >= 14 ? fingerprintSql(long("1.1")) : fingerprintSql(running!.query));
  });
});
