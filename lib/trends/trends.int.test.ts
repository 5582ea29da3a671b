import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { createStore } from "@/lib/store/store";
import { rollup } from "@/lib/store/maintenance";
import type { Store } from "@/lib/store/types";
import type { MetricResult } from "@/lib/metrics/types";
import type { TrendsResponse } from "@/lib/api/trends";
import { buildTrends } from "./build";

// Two weeks of known samples (2026-W09 and W10, UTC) stored through the store's normal write and
// rollup path, then every headline figure checked against what was stored.

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const H = 3_600_000;
const STEP = 5 * 60_000;
const PREV = Date.parse("2026-02-23T00:00:00Z");
const CUR = Date.parse("2026-03-02T00:00:00Z");
const END = Date.parse("2026-03-09T00:00:00Z");
const NOW = new Date("2026-03-09T12:00:00Z");
// Previous Sunday 00:00–06:00: nothing collected.
const GAP = [Date.parse("2026-03-01T00:00:00Z"), Date.parse("2026-03-01T06:00:00Z")];
const TUE_2AM = Date.parse("2026-03-03T02:00:00Z");
const WED_2PM = Date.parse("2026-03-04T14:00:00Z");
const THU_10AM = Date.parse("2026-03-05T10:00:00Z");
const PREV_PEAK = Date.parse("2026-02-25T09:00:00Z");

let db: TestDatabase;
let store: Store;
let sql: pg.Client;
let res: TrendsResponse;

const ok = (metric: string, ts: number, rows: Record<string, unknown>[]): MetricResult => ({ status: "ok", metric, targetId: "dev", ts: new Date(ts), durationMs: 1, rows });

/** Commit rate (per second) of the interval ending at t. */
const tpsAt = (t: number) => (t < CUR ? 8 : t >= WED_2PM && t < WED_2PM + H ? 40 : 10);
/** Block hits / reads per second of the interval ending at t. */
const blocksAt = (t: number) => (t < CUR ? [950, 50] : t >= TUE_2AM && t < TUE_2AM + H ? [800, 200] : [990, 10]);
const dbSizeAt = (t: number) => (t < CUR ? 1 * GIB + ((t - PREV) / H) * 2 * MIB : 2 * GIB + ((t - CUR) / H) * MIB);
const connAt = (t: number) => (t === THU_10AM + 30 * 60_000 ? 85 : t === PREV_PEAK ? 50 : t < CUR ? 15 : 20);

function generate(): MetricResult[] {
  const out: MetricResult[] = [];
  let commit = 1_000_000;
  let hit = 5_000_000;
  let read = 100_000;
  let prev = PREV - H;
  for (let t = PREV - H; t < END; t += STEP) {
    if (t >= GAP[0] && t < GAP[1]) continue;
    const dt = (t - prev) / 1000;
    commit += tpsAt(t) * dt;
    const [h, r] = blocksAt(t);
    hit += h * dt;
    read += r * dt;
    prev = t;
    out.push(ok("db_stats", t, [{ datname: "kundli_db", xact_commit: commit, xact_rollback: 7, blks_hit: hit, blks_read: read, stats_reset_epoch: 1_700_000_000 }]));
    out.push(ok("connections", t, [{ total: connAt(t), usable: 97 }]));
    out.push(ok("db_size", t, [{ datname: "kundli_db", bytes: dbSizeAt(t) }]));
  }
  // Table sizes every 6 hours: birth_charts grows 0.25 GiB/day, then 0.5 GiB/day; users is flat.
  for (let t = PREV; t <= END; t += 6 * H) {
    const days = (t - PREV) / 86_400_000;
    const bc = t <= CUR ? 1 * GIB + days * 0.25 * GIB : 2.75 * GIB + ((t - CUR) / 86_400_000) * 0.5 * GIB;
    out.push(
      ok("table_stats", t, [
        { schemaname: "public", relname: "birth_charts", total_bytes: bc, n_live_tup: 1000, n_dead_tup: 0 },
        { schemaname: "public", relname: "users", total_bytes: 100 * MIB, n_live_tup: 10, n_dead_tup: 0 },
      ]),
    );
  }
  const bloat = (t: number, pct: number, unreliablePct: number) =>
    ok("index_bloat", t, [
      { schemaname: "public", tablename: "users", indexname: "users_pkey", bloat_percent: pct, estimated_bytes_wasted: pct * MIB, reliable: true, index_bytes: 100 * MIB },
      { schemaname: "public", tablename: "users", indexname: "idx_flaky", bloat_percent: unreliablePct, estimated_bytes_wasted: 0, reliable: false, index_bytes: MIB },
    ]);
  out.push(bloat(CUR - H, 20, 0), bloat(END - H, 35, 90));
  const idx = (t: number, withNew: boolean) =>
    ok("index_stats", t, [
      { schemaname: "public", table: "users", index: "idx_old", size_bytes: MIB, unused: false, definition: "CREATE INDEX idx_old ON public.users (id)" },
      ...(withNew ? [{ schemaname: "public", table: "users", index: "idx_new", size_bytes: 2 * MIB, unused: true, definition: "CREATE INDEX idx_new ON public.users (email)" }] : []),
    ]);
  out.push(idx(CUR - H, false), idx(END - H, true));
  let id = 0;
  const slow = (t: number, fingerprint: string, ms: number) =>
    ok("slow_queries", t, [{ source: "slow_query_log", id: String(++id), fingerprint, query: `SELECT * FROM users WHERE id = ${id}`, duration_ms: ms, calls: 1, captured_at: new Date(t) }]);
  [1200, 1300, 1400, 1500, 5000].forEach((ms, i) => out.push(slow(CUR + (i + 1) * 86_400_000, "fpA", ms)));
  [2000, 2000].forEach((ms, i) => out.push(slow(CUR + (i + 1) * H, "fpB", ms)));
  [1000, 1000, 1000, 1000].forEach((ms, i) => out.push(slow(PREV + (i + 1) * 86_400_000, "fpA", ms)));
  [1500, 1500, 1500].forEach((ms, i) => out.push(slow(PREV + (i + 1) * H, "fpC", ms)));
  return out.sort((a, b) => a.ts.getTime() - b.ts.getTime());
}

beforeAll(async () => {
  db = await createTestDatabase(17, "trends");
  store = createStore({ url: db.url, flushIntervalMs: 60_000, rowHistoryMinIntervalMs: 0 });
  await store.migrate();
  for (const r of generate()) store.accept(r);
  await store.flush();
  expect(store.status().rejectedBatches).toBe(0);
  await rollup(store.pool, NOW);
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const alert = (rule: string, fired: number, ack: number | null, resolved: number | null) =>
    sql.query(
      `INSERT INTO pgpulse.alerts (rule, target_id, object_key, state, severity, since, fired_at, acknowledged_at, resolved_at, last_eval_at)
       VALUES ($1, 'dev', 'x', $2, 'warning', $3, $3, $4, $5, $3)`,
      [rule, resolved ? "resolved" : "firing", new Date(fired), ack ? new Date(fired + ack * 1000) : null, resolved ? new Date(fired + resolved * 1000) : null],
    );
  await alert("cache_hit_ratio", TUE_2AM + 600_000, 300, 1800);
  await alert("slow_query", WED_2PM, 600, 3600);
  await alert("table_size", PREV_PEAK, null, null);
  await sql.query("INSERT INTO pgpulse.simulated_ranges (target_id, from_ts, to_ts, model) VALUES ('dev', $1, $2, 'test')", [new Date(PREV), new Date(PREV + 86_400_000)]);
  res = await buildTrends(
    store,
    [{ id: "dev", name: "Dev", database: "kundli_db", thresholds: { tableSizeBytes: 10 * GIB, cacheHitRatioPercent: 90, indexBloatPercent: 30, queryTimeMs: 1000 } }],
    { week: { year: 2026, week: 10 }, tz: "UTC", now: NOW, redact: (s) => s.replace(/\d+/g, "$1") },
  );
});

afterAll(async () => {
  await store?.close();
  await sql?.end();
  await db?.drop();
});

describe("weekly trends from stored history", () => {
  it("frames the week and its neighbours", () => {
    expect(res).toMatchObject({ week: "2026-W10", previousWeek: "2026-W09", nextWeek: "2026-W11", tz: "UTC", complete: true, from: "2026-03-02T00:00:00.000Z", to: "2026-03-09T00:00:00.000Z" });
  });

  it("computes every headline figure exactly", () => {
    const h = res.targets[0].headline;
    expect(h.slowCount).toEqual({ current: 7, previous: 7, delta: 0, pct: 0 });
    expect(h.slowP95Ms.current).toBeCloseTo(4100, 9);
    expect(h.slowP95Ms.previous).toBeCloseTo(1500, 9);
    expect(h.cacheHitMean.current).toBeCloseTo((167 * 99 + 80) / 168, 9);
    expect(h.cacheHitMean.previous).toBeCloseTo(95, 9);
    expect(h.cacheHitWorst.current).toEqual({ value: expect.closeTo(80, 9), from: "2026-03-03T02:00:00.000Z", to: "2026-03-03T03:00:00.000Z" });
    expect(h.cacheHitWorst.previous!.value).toBeCloseTo(95, 9);
    expect(h.peakConnections).toMatchObject({ current: 85, previous: 50, delta: 35 });
    expect(h.peakConnectionsAt).toBe("2026-03-05T10:00:00.000Z");
    expect(h.connectionLimit).toBe(97);
    expect(h.tpsMean.current).toBeCloseTo((167 * 10 + 40) / 168, 9);
    // The gap on the previous Sunday is not a zero: the mean of the hours with data stays 8.
    expect(h.tpsMean.previous).toBeCloseTo(8, 9);
    expect(h.tpsPeak.current).toBeCloseTo(40, 9);
    expect(h.tpsPeak.previous).toBeCloseTo(8, 9);
    expect(h.tpsPeakAt).toBe("2026-03-04T14:00:00.000Z");
    expect(h.dbSizeGrowthBytes.current).toBeCloseTo(167 * MIB, 3);
    expect(h.dbSizeGrowthBytes.previous).toBeCloseTo(167 * 2 * MIB, 3);
    expect(h.alertsFired).toEqual({ current: 2, previous: 1, delta: 1, pct: 100 });
    expect(h.mttaSeconds).toMatchObject({ current: 450, previous: null, delta: null });
    expect(h.mttrSeconds).toMatchObject({ current: 2700, previous: null });
  });

  it("reports coverage per day and never turns a gap into a zero", () => {
    const t = res.targets[0];
    expect(t.coverage.current.every((d) => d.hours === 24 && d.hoursWithData === 24)).toBe(true);
    expect(t.coverage.previous[6]).toEqual({ date: "2026-03-01", weekday: 7, hours: 24, hoursWithData: 18, simulated: false });
    expect(t.coverage.previous[0].simulated).toBe(true);
    expect(t.previousSimulated).toBe(true);
    expect(t.simulated).toBe(false);
    const sunday = t.daily.tpsMean.find((d) => d.weekday === 7)!;
    expect(sunday).toMatchObject({ date: "2026-03-08", previousDate: "2026-03-01" });
    expect(sunday.previous).toBeCloseTo(8, 9);
    expect(t.daily.slowCount.map((d) => [d.current, d.previous])).toEqual([[2, 3], [1, 1], [1, 1], [1, 1], [1, 1], [1, 0], [0, 0]]);
  });

  it("projects table growth and compares with last week's projection", () => {
    const [bc, users] = res.targets[0].tables;
    expect(bc.objectKey).toBe("public.birth_charts");
    expect(bc.growthBytes).toBeCloseTo(3.5 * GIB, 0);
    expect(bc.growthBytesPerDay).toBeCloseTo(0.5 * GIB, 0);
    expect(Date.parse(bc.crossesAt!)).toBeCloseTo(END + 7.5 * 86_400_000, -4);
    expect(Date.parse(bc.previousCrossesAt!)).toBeCloseTo(CUR + 29 * 86_400_000, -4);
    expect(bc.projectionChangeDays).toBeCloseTo(-14.5, 6);
    expect(users).toMatchObject({ objectKey: "public.users", growthBytes: 0, crossesAt: null, alreadyOver: false });
  });

  it("finds the bloat rise (reliable estimates only) and the new unused index", () => {
    const t = res.targets[0];
    expect(t.bloat).toEqual([{ objectKey: "public.users_pkey", table: "public.users", bloatPercent: 35, previousBloatPercent: 20, deltaPoints: 15, wastedBytes: 35 * MIB }]);
    expect(t.unusedIndexes).toEqual([{ objectKey: "public.users.idx_new", table: "public.users", sizeBytes: 2 * MIB, definition: "CREATE INDEX idx_new ON public.users (email)" }]);
  });

  it("classifies fingerprints against the previous week, with redacted text", () => {
    const f = Object.fromEntries(res.targets[0].fingerprints.map((x) => [x.fingerprint, x]));
    expect(f.fpA).toMatchObject({ status: "worse", count: 5, previousCount: 4 });
    expect(f.fpB).toMatchObject({ status: "new", count: 2, previousCount: 0 });
    expect(f.fpC).toMatchObject({ status: "gone", count: 0, previousCount: 3 });
    expect(f.fpA.query).toBe("SELECT * FROM users WHERE id = $1");
  });

  it("lists alerts by rule and writes a summary from those numbers", () => {
    const t = res.targets[0];
    expect(t.alerts.map((a) => [a.rule, a.fired, a.previousFired])).toEqual([["cache_hit_ratio", 1, 0], ["slow_query", 1, 0], ["table_size", 0, 1]]);
    const text = t.summary.join(" ");
    expect(text).toContain("Cache hit ratio dipped below 90 % on Tuesday 02:00–03:00 (80.0 %)");
    expect(text).toContain("7 slow statements recorded, unchanged from the week before");
    expect(text).toContain("Connections peaked at 85 of 97 usable slots (88 %) on Thursday 10:00.");
    expect(text).toContain("public.birth_charts grew 3.5 GB and is projected to cross 10 GB on 16 Mar 2026, 15 days sooner than last week's projection.");
    expect(text).toContain("2 alerts fired, up 100 % from 1, most for cache_hit_ratio (1); MTTA 7 min 30 s, MTTR 45 min.");
  });
});
