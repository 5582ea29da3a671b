import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { at, dbStats, ok, tableRow, tableStatsFixture } from "@/test/fixtures/store-results";
import { getDefinition } from "@/lib/metrics/catalog";
import { getSeries } from "@/lib/analysis/series";
import { createStore } from "./store";
import type { Store } from "./types";

// The history store against a real PostgreSQL 17: writes, partitions, retention, rollups and
// the reads, with fixed data and injected clocks.

const T0 = new Date("2026-11-20T10:00:00Z");
const NOW = new Date("2026-11-20T12:00:00Z");

let db: TestDatabase;
let store: Store;
let sql: pg.Client;
let firstMigration: number[];

beforeAll(async () => {
  db = await createTestDatabase(17, "store");
  store = createStore({
    url: db.url,
    definitions: (id) => (id === "table_stats" ? tableStatsFixture : getDefinition(id)),
    flushIntervalMs: 60_000,
  });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  firstMigration = await store.migrate();
});

afterAll(async () => {
  await store?.close();
  await sql?.end();
  await db?.drop();
});

async function partitions(parent: string): Promise<string[]> {
  const { rows } = await sql.query(
    `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass ORDER BY 1`,
    [`pgpulse.${parent}`],
  );
  return rows.map((r) => r.relname);
}

describe("migrations", () => {
  it("apply once, then again as a no-op", async () => {
    expect(firstMigration.slice(0, 3)).toEqual([1, 2, 3]);
    expect(await store.migrate()).toEqual([]);
    const { rows } = await sql.query("SELECT count(*)::int AS n FROM pgpulse.schema_migrations WHERE id IN (1, 2, 3)");
    expect(rows[0].n).toBe(3);
  });
});

// db_stats every 15 s for 30 minutes: xact_commit +150 (10/s), xact_rollback +15 (1/s) in
// database "app"; at sample 10 the stats are reset (counters restart low, stats_reset changes).
// Database "other" commits 2/s without resets.
const N = 120;
function appCounters(i: number) {
  if (i < 10) return { commit: 1000 + 150 * i, rollback: 50 + 15 * i, epoch: 1_700_000_000 };
  return { commit: 30 + 150 * (i - 10), rollback: 3 + 15 * (i - 10), epoch: 1_763_000_000 };
}

describe("writes and raw reads", () => {
  it("accept → flush → seriesRange returns what was written", async () => {
    for (let i = 0; i < N; i++) {
      const c = appCounters(i);
      store.accept(
        dbStats("t1", at(T0, 15 * i), [
          {
            datname: "app",
            xact_commit: c.commit,
            xact_rollback: c.rollback,
            blks_hit: 100_000 + 990 * i,
            blks_read: 500 + 10 * i,
            stats_reset_epoch: c.epoch,
            numbackends: i % 7,
            xid_age: null,
          },
          { datname: "other", xact_commit: 30 * i, xact_rollback: 0, blks_hit: 5 * i, blks_read: 0, stats_reset_epoch: 1_600_000_000, numbackends: 1 },
        ]),
      );
    }
    expect(store.status().buffered).toBe(N * 12);
    await store.flush();
    expect(store.status()).toMatchObject({ reachable: true, buffered: 0, dropped: 0 });

    const r = await store.seriesRange("t1", "db_stats.xact_commit", { datname: "app" }, T0, at(T0, 15 * N), { resolution: "raw" });
    expect(r.series).toHaveLength(1);
    expect(r.series[0].kind).toBe("counter");
    expect(r.series[0].labels).toEqual({ datname: "app" });
    expect(r.series[0].points.map((p) => [p.ts.getTime(), p.lastValue])).toEqual(
      Array.from({ length: N }, (_, i) => [at(T0, 15 * i).getTime(), appCounters(i).commit]),
    );
    // null is not stored: xid_age was null
    const xid = await store.seriesRange("t1", "db_stats.xid_age", null, T0, at(T0, 15 * N), { resolution: "raw" });
    expect(xid.series).toHaveLength(0);
    const both = await store.seriesRange("t1", "db_stats.xact_commit", null, T0, at(T0, 60), { resolution: "raw" });
    expect(both.series.map((s) => s.labels.datname).sort()).toEqual(["app", "other"]);
    expect(both.series.every((s) => s.points.length === 4)).toBe(true);
  });

  it("creates the day partition for the samples on demand", async () => {
    expect(await partitions("samples")).toContain("samples_p20261120");
  });

  it("getSeries('tps') gives the exact rates, with the reset interval as a gap", async () => {
    const to = at(T0, 15 * 20);
    const res = await getSeries(store, { targetId: "t1", metric: "tps", from: T0, to, stepSeconds: 15, database: "app", now: NOW });
    expect(res.unit).toBe("per_second");
    expect(res.points).toHaveLength(20);
    expect(res.points[0]).toEqual([T0.toISOString(), null]); // no sample before the window
    for (let i = 1; i < 20; i++) {
      expect(res.points[i]).toEqual([at(T0, 15 * i).toISOString(), i === 10 ? null : 11]);
    }
    // All databases summed: "other" adds 2/s.
    const all = await getSeries(store, { targetId: "t1", metric: "commits_per_second", from: at(T0, 30), to: at(T0, 90), stepSeconds: 30, now: NOW });
    expect(all.points).toEqual([
      [at(T0, 30).toISOString(), 12],
      [at(T0, 60).toISOString(), 12],
    ]);
  });

  it("getSeries('cache_hit_ratio') is the ratio of summed deltas per step, null below 1,000 accesses", async () => {
    // app: 990 hits + 10 reads per 15 s → 4,000 accesses per minute, 99 %.
    const res = await getSeries(store, { targetId: "t1", metric: "cache_hit_ratio", from: T0, to: at(T0, 180), stepSeconds: 60, database: "app", now: NOW });
    expect(res.points.map((p) => p[1])).toEqual([99, 99, 99]);
    // "other" has 5 hits per 15 s: 20 accesses per minute, below the floor
    const other = await getSeries(store, { targetId: "t1", metric: "cache_hit_ratio", from: T0, to: at(T0, 60), stepSeconds: 60, database: "other", now: NOW });
    expect(other.points).toEqual([[T0.toISOString(), null]]);
  });

  it("gauges: averaged (or maxed) per step, buckets without samples stay null; sessions are not series", async () => {
    const session = (pid: number, state: string, queryMs: number | null) => ({
      pid, datname: "app", usename: "app", application_name: "web", client_addr: null, state,
      wait_event_type: null, wait_event: null, backend_start: T0, xact_start: null, query_start: T0, state_change: T0,
      query: "SELECT 1", query_id: null, blocked_by: [], query_ms: queryMs, xact_ms: null, state_ms: 1000,
      lock_wait_ms: null, hidden: false,
    });
    store.accept(ok("stat_activity", "t1", T0, [session(1, "active", 2000), session(2, "idle", null), session(3, "idle in transaction", null)]));
    store.accept(ok("stat_activity", "t1", at(T0, 3), [session(1, "active", 5000), session(4, "active", 1000)]));
    store.accept(ok("stat_activity", "t1", at(T0, 63), [session(2, "idle", null)]));
    await store.flush();
    expect(store.status().rejectedBatches).toBe(0);
    const from = at(T0, -60);
    const to = at(T0, 180);
    const total = await getSeries(store, { targetId: "t1", metric: "connections_total", from, to, stepSeconds: 60, now: NOW });
    expect(total.points).toEqual([
      [from.toISOString(), null],
      [T0.toISOString(), 2.5],
      [at(T0, 60).toISOString(), 1],
      [at(T0, 120).toISOString(), null],
    ]);
    const longest = await getSeries(store, { targetId: "t1", metric: "longest_query_seconds", from, to, stepSeconds: 60, now: NOW });
    expect(longest.points.map((p) => p[1])).toEqual([null, 5, null, null]);
    const active = await getSeries(store, { targetId: "t1", metric: "connections_active", from, to, stepSeconds: 60, now: NOW });
    expect(active.points.map((p) => p[1])).toEqual([null, 1.5, 0, null]);
    const { rows } = await sql.query("SELECT count(*)::int AS n, count(*) FILTER (WHERE labels <> '{}')::int AS labelled FROM pgpulse.series WHERE name LIKE 'stat_activity.%'");
    // 11 gauges, of which longest_xact_seconds and longest_lock_wait_seconds were always null: not stored
    expect(rows[0]).toEqual({ n: 9, labelled: 0 });
  });
});

describe("rollups", () => {
  it("match the raw data: min/max/sum/count and the counters' first/last values", async () => {
    const report = await store.runMaintenance(NOW);
    expect(report.minutesRolledUp).toBeGreaterThan(0);
    const { rows: diff } = await sql.query(`
      WITH raw AS (
        SELECT series_id, date_trunc('minute', ts, 'UTC') AS bucket, min(value) mn, max(value) mx, sum(value) sm, count(*)::int n,
               (array_agg(value ORDER BY ts))[1] fv, (array_agg(value ORDER BY ts DESC))[1] lv, max(ts) lt
        FROM pgpulse.raw_samples(NULL, '2026-11-20T10:00:00Z', '2026-11-20T10:30:00Z') GROUP BY 1, 2)
      SELECT * FROM raw
      FULL JOIN pgpulse.minute_rollups(NULL, '2026-11-20T10:00:00Z', '2026-11-20T10:30:00Z') r
        USING (series_id, bucket)
      WHERE r.series_id IS NULL OR raw.series_id IS NULL OR raw.mn <> r.min OR raw.mx <> r.max OR raw.sm <> r.sum
         OR raw.n <> r.count OR raw.fv <> r.first_value OR raw.lv <> r.last_value OR raw.lt <> r.last_ts`);
    expect(diff).toEqual([]);
    const { rows: counts } = await sql.query(
      "SELECT count(*)::int AS n, sum(count)::int AS samples FROM pgpulse.minute_rollups(NULL, '2026-11-20T10:00:00Z', '2026-11-20T10:30:00Z') r JOIN pgpulse.series s ON s.id = r.series_id WHERE s.name LIKE 'db_stats.%'",
    );
    // 12 series with data (6 columns × 2 databases) × 30 minutes, 4 samples each
    expect(counts[0]).toEqual({ n: 12 * 30, samples: 12 * 30 * 4 });
    // The reset lies inside minute 2 (10:02:30 < 10:02:15's value): one reset counted there, none elsewhere.
    const { rows: resets } = await sql.query(
      `SELECT r.bucket, r.resets FROM pgpulse.minute_rollups(NULL, '-infinity', 'infinity') r JOIN pgpulse.series s ON s.id = r.series_id
       WHERE s.name = 'db_stats.xact_commit' AND s.labels->>'datname' = 'app' AND r.resets > 0`,
    );
    expect(resets).toEqual([{ bucket: new Date("2026-11-20T10:02:00Z"), resets: 1 }]);
    const { rows: hour } = await sql.query(
      `SELECT h.count, h.last_value, h.first_value, h.resets, h.min, h.max, h.inc, h.inc_ms FROM pgpulse.samples_1h h JOIN pgpulse.series s ON s.id = h.series_id
       WHERE s.name = 'db_stats.xact_commit' AND s.labels->>'datname' = 'app' AND h.bucket = '2026-11-20T10:00:00Z'`,
    );
    expect(hour).toEqual([
      { count: N, last_value: appCounters(N - 1).commit, first_value: 1000, resets: 1, min: 30, max: appCounters(N - 1).commit, inc: 150 * (N - 2), inc_ms: 15_000 * (N - 2) },
    ]);
  });

  it("rates from minute rollups equal the rates from raw samples", async () => {
    const from = T0;
    const to = at(T0, 25 * 60);
    const raw = await getSeries(store, { targetId: "t1", metric: "tps", from, to, stepSeconds: 300, database: "app", now: NOW, resolution: "raw" });
    const m1 = await getSeries(store, { targetId: "t1", metric: "tps", from, to, stepSeconds: 300, database: "app", now: NOW, resolution: "1m" });
    const h1 = await getSeries(store, { targetId: "t1", metric: "tps", from, to: at(T0, 3600), stepSeconds: 3600, database: "app", now: NOW, resolution: "1h" });
    expect(raw.points.map((p) => p[1])).toEqual([11, 11, 11, 11, 11]);
    expect(m1.points).toEqual(raw.points);
    // The hour holds the reset: its increase is summed without that one interval.
    expect(h1.points).toEqual([[T0.toISOString(), 11]]);
    const hit = await getSeries(store, { targetId: "t1", metric: "cache_hit_ratio", from, to, stepSeconds: 300, database: "app", now: NOW, resolution: "1m" });
    expect(hit.points.map((p) => p[1])).toEqual([99, 99, 99, 99, 99]);
  });
});

describe("late samples", () => {
  it("move the rollup marks back and the next run recomputes the minute and the hour", async () => {
    const { rows: before } = await sql.query("SELECT resolution, done_until FROM pgpulse.rollup_state ORDER BY 1");
    // ordered by resolution: 1h, 1m, pack (closed hours), pack_1m (hours whose minutes are final)
    expect(before.map((r) => r.done_until.getTime())).toEqual([
      new Date("2026-11-20T11:00:00Z").getTime(),
      new Date("2026-11-20T11:59:00Z").getTime(),
      new Date("2026-11-20T11:00:00Z").getTime(),
      new Date("2026-11-20T11:00:00Z").getTime(),
    ]);
    // a sample for 10:05:07, flushed long after that minute was rolled up (the store was away)
    store.accept(ok("connections", "t1", new Date("2026-11-20T10:05:07Z"), [{ total: 40 }]));
    store.accept(ok("connections", "t1", new Date("2026-11-20T10:05:52Z"), [{ total: 20 }]));
    await store.flush();
    const { rows: moved } = await sql.query("SELECT resolution, done_until FROM pgpulse.rollup_state ORDER BY 1");
    expect(moved.map((r) => r.done_until.getTime())).toEqual([
      new Date("2026-11-20T10:00:00Z").getTime(),
      new Date("2026-11-20T10:05:00Z").getTime(),
      new Date("2026-11-20T10:00:00Z").getTime(),
      new Date("2026-11-20T10:00:00Z").getTime(),
    ]);
    await store.runMaintenance(NOW);
    const m = await store.seriesRange("t1", "connections.total", null, new Date("2026-11-20T10:00:00Z"), new Date("2026-11-20T10:10:00Z"), { resolution: "1m", now: NOW });
    expect(m.series[0].points.map((p) => [p.ts.toISOString(), p.count, p.min, p.max, p.sum])).toEqual([["2026-11-20T10:05:00.000Z", 2, 20, 40, 60]]);
    const h = await store.seriesRange("t1", "connections.total", null, new Date("2026-11-20T10:00:00Z"), new Date("2026-11-20T11:00:00Z"), { resolution: "1h", now: NOW });
    expect(h.series[0].points.map((p) => [p.ts.toISOString(), p.count, p.sum])).toEqual([["2026-11-20T10:00:00.000Z", 2, 60]]);
  });
});

describe("retention", () => {
  it("drops a partition older than the limit and nothing else", async () => {
    const now = new Date("2026-11-26T12:00:00Z");
    await sql.query("SELECT pgpulse.ensure_partitions('samples', '2026-11-01T00:00:00Z', 1)");
    await sql.query("INSERT INTO pgpulse.samples VALUES (1, '2026-11-01T05:00:00Z', 42)");
    const before = await partitions("samples");
    expect(before).toContain("samples_p20261101");
    const report = await store.runMaintenance(now);
    expect(report.partitionsDropped).toEqual(["samples_p20261101"]);
    const after = await partitions("samples");
    expect(after).toEqual(
      [...before.filter((p) => p !== "samples_p20261101"), "samples_p20261126", "samples_p20261127", "samples_p20261128"]
        .filter((v, i, a) => a.indexOf(v) === i)
        .sort(),
    );
    const { rows } = await sql.query("SELECT count(*)::int AS n FROM pgpulse.raw_samples(NULL, '2026-11-20', '2026-11-21') x JOIN pgpulse.series s ON s.id = x.series_id WHERE s.name LIKE 'db_stats.%'");
    expect(rows[0].n).toBe(N * 12);
  });
});

describe("up/down change retention", () => {
  it("deletes changes past event retention that precede the last up, keeping what the current state reads", async () => {
    const now = new Date("2026-11-26T12:00:00Z");
    const day = (n: number) => new Date(now.getTime() - n * 86_400_000);
    const rows: Array<[string, Date, boolean]> = [
      // Flapped long ago, up since: only its last up row is needed.
      ["flappy", day(200), false],
      ["flappy", day(199), true],
      ["flappy", day(150), false],
      ["flappy", day(149), true],
      // Down for 120 days: its last up row and the whole outage after it stay (downSince).
      ["gone", day(130), false],
      ["gone", day(125), true],
      ["gone", day(120), false],
      ["gone", day(100), false],
      // Recent changes stay whatever they are.
      ["fresh", day(10), false],
      ["fresh", day(5), true],
    ];
    for (const [id, ts, up] of rows) await sql.query("INSERT INTO pgpulse.target_up_changes (target_id, ts, up) VALUES ($1, $2, $3)", [id, ts, up]);
    const report = await store.runMaintenance(now);
    const { rows: kept } = await sql.query("SELECT target_id, ts, up FROM pgpulse.target_up_changes WHERE target_id IN ('flappy', 'gone', 'fresh') ORDER BY target_id, ts");
    expect(report.upChangesDeleted).toBe(4);
    expect(kept.map((r) => [r.target_id, r.ts.getTime(), r.up])).toEqual([
      ["flappy", day(149).getTime(), true],
      ["fresh", day(10).getTime(), false],
      ["fresh", day(5).getTime(), true],
      ["gone", day(125).getTime(), true],
      ["gone", day(120).getTime(), false],
      ["gone", day(100).getTime(), false],
    ]);
  });
});

describe("row history and growth", () => {
  it("keeps one row per table per set; latest, history and growth read them", async () => {
    const day = 86_400_000;
    // users grows 1 GiB/day from 5 GiB; logs is flat; 4 sets 6 h apart
    for (let k = 0; k < 4; k++) {
      const ts = new Date(T0.getTime() + k * day * 0.25);
      store.accept(
        ok("table_stats", "t1", ts, [tableRow("public", "users", 5 * 2 ** 30 + k * 0.25 * 2 ** 30), tableRow("public", "logs", 2 ** 20)]),
      );
    }
    await store.flush();
    const latest = await store.latestHistoryRows("t1", "table_stats");
    expect(latest?.ts).toEqual(new Date(T0.getTime() + 0.75 * day));
    expect(latest?.rows.map((r) => [r.relname, r.total_bytes])).toEqual([
      ["users", 5 * 2 ** 30 + 0.75 * 2 ** 30],
      ["logs", 2 ** 20],
    ]);
    const earlier = await store.historyRowsAt("t1", "table_stats", new Date(T0.getTime() + 0.3 * day));
    expect(earlier?.ts).toEqual(new Date(T0.getTime() + 0.25 * day));
    expect(earlier?.rows[0]).toEqual(tableRow("public", "users", 5 * 2 ** 30 + 0.25 * 2 ** 30));
    const hist = await store.objectHistory("t1", "table_stats", "public.users", T0, new Date(T0.getTime() + day));
    expect(hist.map((h) => h.bytes)).toEqual([0, 1, 2, 3].map((k) => 5 * 2 ** 30 + k * 0.25 * 2 ** 30));
    expect(hist[0].liveTuples).toBe(4980);
    const now = new Date(T0.getTime() + 0.75 * day);
    const growth = await store.tableGrowthAll("t1", now, 7, 10 * 2 ** 30);
    expect(growth.map((g) => g.objectKey)).toEqual(["public.users", "public.logs"]);
    expect(growth[0].growthBytesPerDay).toBeCloseTo(2 ** 30, 0);
    expect(growth[0].daysToThreshold).toBeCloseTo(4.25, 6);
    expect(growth[1]).toMatchObject({ growthBytesPerDay: 0, daysToThreshold: null, crossesAt: null, alreadyOver: false });
    // at most one set per 10 minutes is kept: one 2 minutes later is skipped
    store.accept(ok("table_stats", "t1", new Date(T0.getTime() + 0.75 * day + 120_000), [tableRow("public", "users", 1)]));
    await store.flush();
    expect((await store.latestHistoryRows("t1", "table_stats"))?.ts).toEqual(new Date(T0.getTime() + 0.75 * day));
    // no per-table series are kept
    const { rows } = await sql.query("SELECT count(*)::int AS n FROM pgpulse.series WHERE name LIKE 'table_stats.%'");
    expect(rows[0].n).toBe(0);
  });
});

describe("slow queries", () => {
  it("groups by fingerprint with exact count/mean/p95/max, one event per running statement", async () => {
    const base = new Date("2026-11-20T11:00:00Z");
    const log = [100, 200, 300, 400, 1000].map((d, i) => ({
      source: "slow_query_log",
      id: `00000000-0000-0000-0000-00000000000${i}`,
      fingerprint: "fpA",
      query: `SELECT * FROM birth_charts WHERE user_id = ${i}`,
      duration_ms: d,
      calls: 1,
      total_ms: d,
      captured_at: at(base, 60 * i),
    }));
    store.accept(ok("slow_queries", "t1", at(base, 300), log));
    // the same log rows polled again are not new events
    store.accept(ok("slow_queries", "t1", at(base, 310), log.slice(3)));
    // a running statement seen on three polls, 1.5 s apart: one event with the latest duration
    for (const d of [1500, 3000, 4500]) {
      const captured = at(base, 120 + d / 1000);
      store.accept(
        ok("slow_queries", "t1", captured, [
          { source: "running", fingerprint: "fpB", query: "SELECT pg_sleep(10)", duration_ms: d, calls: 1, total_ms: d, captured_at: captured, pid: 4242 },
        ]),
      );
    }
    await store.flush();
    const groups = await store.slowQueryGroups("t1", base, at(base, 600), 300);
    expect(groups.map((g) => g.fingerprint)).toEqual(["fpB", "fpA"]);
    const [b, a] = groups;
    // Log rows are observations; executions are counted by pg_stat_statements only.
    expect(a).toMatchObject({ count: 5, meanMs: 400, maxMs: 1000, totalMs: 2000, calls: null, sources: ["slow_query_log"] });
    // percentile_cont: 400 + 0.8 × (1000 − 400)
    expect(a.p95Ms).toBeCloseTo(880, 9);
    expect(a.exampleQuery).toBe("SELECT * FROM birth_charts WHERE user_id = 4");
    expect(a.buckets).toEqual([
      [base.toISOString(), 5],
      [at(base, 300).toISOString(), 0],
    ]);
    expect(b).toMatchObject({ count: 1, calls: null, meanMs: 4500, maxMs: 4500, sources: ["running"] });
    const perMin = await getSeries(store, { targetId: "t1", metric: "slow_queries_per_minute", from: base, to: at(base, 300), stepSeconds: 60, now: NOW });
    expect(perMin.points.map((p) => p[1])).toEqual([1, 1, 2, 1, 1]);
  });

  it("calls are the sum of pg_stat_statements windows' call deltas; a running capture adds an observation, not a call", async () => {
    const base = new Date("2026-11-20T11:00:00Z");
    const pss = (t: number, calls: number) => ({
      source: "pg_stat_statements", fingerprint: "fpC", query: "SELECT pg_sleep($1)", duration_ms: 1250, calls,
      total_ms: 1250 * calls, captured_at: at(base, t), queryid: "42", username: "app", datname: "kundli_db",
    });
    store.accept(ok("slow_queries", "t-calls", at(base, 30), [
      { source: "running", fingerprint: "fpC", query: "SELECT pg_sleep(1.3)", duration_ms: 1100, calls: 1, total_ms: 1100, captured_at: at(base, 30), pid: 7, started_at: at(base, 29) },
    ]));
    store.accept(ok("slow_queries", "t-calls", at(base, 45), [pss(45, 3)]));
    store.accept(ok("slow_queries", "t-calls", at(base, 60), [pss(60, 1)]));
    await store.flush();
    const [g] = await store.slowQueryGroups("t-calls", base, at(base, 600), 300);
    expect(g).toMatchObject({ fingerprint: "fpC", count: 3, calls: 4, sources: ["pg_stat_statements", "running"] });
  });
});

describe("metric status", () => {
  it("keeps the latest outcome per metric with the reason, and counts errors", async () => {
    const ts = new Date("2026-11-20T11:30:00Z");
    store.accept({ status: "unavailable", metric: "index_bloat", targetId: "t1", ts, reason: "extension pgstattuple is not installed" });
    store.accept({ status: "error", metric: "db_size", targetId: "t1", ts, durationMs: 5, error: "canceling statement due to statement timeout", code: "57014" });
    store.accept({ status: "error", metric: "db_size", targetId: "t1", ts: at(ts, 60), durationMs: 5, error: "canceling statement due to statement timeout", code: "57014" });
    store.accept(ok("up", "t1", ts, [{ up: 0, error: "connection refused" }]));
    store.accept(ok("up", "t1", at(ts, 15), [{ up: 0, error: "connection refused" }]));
    store.accept(ok("up", "t1", at(ts, 30), [{ up: 1, error: null, server_version: "17.2", role: "standby" }]));
    store.accept(ok("up", "t1", at(ts, 45), [{ up: 1, error: null, server_version: "17.2", role: "standby" }]));
    // Promoted: a change of role is a row, as a transition is (other instances show it).
    store.accept(ok("up", "t1", at(ts, 60), [{ up: 1, error: null, server_version: "17.2", role: "primary" }]));
    await store.flush();
    const st = await store.metricStatus("t1");
    const byMetric = Object.fromEntries(st.map((s) => [s.metric, s]));
    expect(byMetric.index_bloat).toMatchObject({ status: "unavailable", reason: "extension pgstattuple is not installed", errorCount: 0 });
    expect(byMetric.db_size).toMatchObject({ status: "error", errorCount: 2, since: ts });
    const { rows } = await sql.query("SELECT up, error, server_version, role FROM pgpulse.target_up_changes WHERE target_id = 't1' ORDER BY ts");
    expect(rows).toEqual([
      { up: false, error: "connection refused", server_version: null, role: null },
      { up: true, error: null, server_version: "17.2", role: "standby" },
      { up: true, error: null, server_version: "17.2", role: "primary" },
    ]);
    const up = await store.seriesRange("t1", "up.up", null, ts, at(ts, 60), { resolution: "raw" });
    expect(up.series[0].points.map((p) => p.lastValue)).toEqual([0, 0, 1, 1]);
  });
});
