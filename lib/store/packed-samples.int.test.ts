import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { at, dbStats, ok } from "@/test/fixtures/store-results";
import { getSeries, SERIES_METRICS } from "@/lib/analysis/series";
import type { MetricResult } from "@/lib/metrics/types";
import { buildTrends } from "@/lib/trends/build";
import { parseIsoWeek } from "@/lib/trends/iso-week";
import { packSamples, rollup } from "./maintenance";
import { createStore } from "./store";
import type { Resolution, Store } from "./types";

// Raw samples and minute rollups packed per series and hour (migration 012) must read back exactly
// as written.
// The same results go into two stores: "reference" keeps every sample as its own row (the store
// before packing: rollups only), "packed" also packs the closed hours. Every reader must then
// return the same figures: range reads at each resolution, every derived series, the weekly
// trends. Then late samples (a flush after an outage) land in packed hours, one of them a sample
// already stored (a batch retried after it was written): still the same figures.

const T0 = Date.parse("2026-03-02T00:00:00Z"); // Monday of ISO week 10
const H = 3_600_000;
const DAYS = 15;
const NOW = new Date(T0 + DAYS * 24 * H + 25 * 60_000);
const BUSY_FROM = NOW.getTime() - 5 * H; // the last 5 hours at the live cadences
const DOWN = [BUSY_FROM + 2 * H + 600_000, BUSY_FROM + 2 * H + 1_500_000]; // collector down: a gap

let refDb: TestDatabase;
let packedDb: TestDatabase;
let ref: Store;
let packed: Store;
let sql: pg.Client;

/** Deterministic values that move (a gauge stored only when it changed would not hold here). */
const wobble = (n: number, mod: number) => ((n * 2_654_435_761) >>> 0) % mod;

function session(pid: number, k: number) {
  const active = wobble(pid + k, 3) === 0;
  return {
    pid, state: active ? "active" : wobble(pid * k, 5) === 0 ? "idle in transaction" : "idle",
    wait_event_type: wobble(pid + 2 * k, 11) === 0 ? "Lock" : null, blocked_by: wobble(pid + k, 13) === 0 ? [1] : [],
    hidden: false, query_ms: active ? 10 + wobble(pid * 7 + k, 5000) : null, xact_ms: null, state_ms: 100 + k, lock_wait_ms: null,
  };
}

/** A collector's times are not whole seconds: up to 999 ms late, deterministically. */
const jittered = (t: number) => new Date(t + ((t / 1000) * 7) % 1000);

function results(from: number, to: number): MetricResult[] {
  const out: MetricResult[] = [];
  for (let t = from; t < to; t += 15_000) {
    if (t >= DOWN[0] && t < DOWN[1]) continue;
    const k = (t - T0) / 15_000;
    const busy = t >= BUSY_FROM;
    // A stats reset in "app" two hours into the busy span: counters restart, the marker changes.
    const reset = busy && t >= BUSY_FROM + 2 * H ? 1 : 0;
    const base = reset ? 0 : 5e6;
    if (busy || k % 20 === 0) {
      out.push(
        dbStats("t", jittered(t), [
          { datname: "app", xact_commit: base + k * 11 + wobble(k, 7), xact_rollback: base / 10 + k, blks_hit: base * 9 + k * 990 + wobble(k, 50), blks_read: base + k * 10, tup_inserted: k * 3, tup_updated: k, tup_deleted: k % 97, deadlocks: Math.floor(k / 4000), stats_reset_epoch: 1_700_000_000 + reset },
          { datname: "other", xact_commit: 1e6 + k * 2, xact_rollback: 5, blks_hit: 1e8 + k * 100, blks_read: 1e5 + k, tup_inserted: 0, tup_updated: 0, tup_deleted: 0, deadlocks: 0, stats_reset_epoch: 1_600_000_000 },
        ]),
      );
      out.push(ok("connections", "t", jittered(t), [{ total: 20 + wobble(k, 9), usable: 97, saturation: (20 + wobble(k, 9)) / 97 }]));
    }
    if (k % 20 === 0) out.push(ok("db_size", "t", jittered(t), [{ datname: "app", bytes: 5e9 + k * 4096 }, { datname: "other", bytes: 1e8 }]));
    if (busy) for (let s = 0; s < 15_000; s += 3_000) out.push(ok("stat_activity", "t", jittered(t + s), Array.from({ length: 8 }, (_, p) => session(p, k * 5 + s / 3000))));
  }
  return out;
}

async function write(store: Store, rs: MetricResult[]) {
  for (const r of rs) store.accept(r);
  await store.flush();
}

beforeAll(async () => {
  [refDb, packedDb] = await Promise.all([createTestDatabase(17, "pkref"), createTestDatabase(17, "pknew")]);
  const open = (db: TestDatabase) => createStore({ url: db.url, flushIntervalMs: 60_000, maxBufferedSamples: 1_000_000 });
  [ref, packed] = [open(refDb), open(packedDb)];
  await Promise.all([ref.migrate(), packed.migrate()]);
  const all = results(T0, NOW.getTime());
  await Promise.all([write(ref, all), write(packed, all)]);
  await Promise.all([rollup(ref.pool, NOW), rollup(packed.pool, NOW)]);
  await packSamples(packed.pool, NOW);
  sql = new pg.Client({ connectionString: packedDb.url });
  await sql.connect();
}, 240_000);

afterAll(async () => {
  await Promise.all([ref?.close(), packed?.close()]);
  await sql?.end();
  await Promise.all([refDb?.drop(), packedDb?.drop()]);
});

const names = async () =>
  (await ref.pool.query<{ name: string }>("SELECT DISTINCT name FROM pgpulse.series ORDER BY 1")).rows.map((r) => r.name);

/** Every reader's answer over the same windows, from one store. */
async function answers(store: Store) {
  const out: Record<string, unknown> = {};
  const windows: Array<[Resolution, number, number]> = [
    ["raw", NOW.getTime() - 5 * H - 90_000, NOW.getTime()],
    ["raw", NOW.getTime() - 3 * H + 1234, NOW.getTime() - 2 * H - 1],
    ["1m", NOW.getTime() - 26 * H, NOW.getTime()],
    ["1h", T0 - H, NOW.getTime()],
  ];
  for (const name of await names()) {
    for (const [resolution, from, to] of windows) {
      out[`${name} ${resolution} ${from}`] = await store.seriesRange("t", name, null, new Date(from), new Date(to), { resolution, now: NOW });
    }
  }
  const steps: Array<[Resolution, number, number]> = [
    ["raw", 5 * H, 60],
    ["raw", 2 * H, 15],
    ["1m", 24 * H, 300],
    ["1h", DAYS * 24 * H, 3600],
  ];
  for (const metric of SERIES_METRICS) {
    for (const [resolution, span, stepSeconds] of steps) {
      for (const database of [undefined, "app"]) {
        const p = { targetId: "t", metric, from: new Date(NOW.getTime() - span), to: NOW, stepSeconds, now: NOW, resolution, database };
        out[`${metric} ${resolution} ${stepSeconds} ${database}`] = await getSeries(store, p);
      }
    }
  }
  const thresholds = { tableSizeBytes: 1.5e9, cacheHitRatioPercent: 90, indexBloatPercent: 30, queryTimeMs: 1000 };
  for (const week of ["2026-W11", "2026-W12"]) {
    out[week] = await buildTrends(store, [{ id: "t", name: "db", database: "app", thresholds }], { week: parseIsoWeek(week)!, tz: "Europe/Berlin", now: NOW, redact: (x) => x });
  }
  return out;
}

/** Non-null points of a derived answer: the comparison must be over real figures. */
const figures = (a: Record<string, unknown>, key: string) => (a[key] as { points: Array<[string, number | null]> }).points.filter((p) => p[1] !== null).length;

describe("raw samples and minute rollups packed per series and hour", () => {
  it("moves closed hours out of the sample rows, losslessly", async () => {
    const { rows } = await sql.query<{ unpacked: number; packed: number; hours: number; latest: Date }>(
      `SELECT (SELECT count(*) FROM pgpulse.samples)::int AS unpacked,
              (SELECT coalesce(sum(cardinality(vals)), 0) FROM pgpulse.samples_packed)::int AS packed,
              (SELECT count(DISTINCT hour) FROM pgpulse.samples_packed)::int AS hours,
              (SELECT max(hour) FROM pgpulse.samples_packed) AS latest`,
    );
    // Only the current hour (not closed) stays as sample rows.
    expect(rows[0].hours).toBe(DAYS * 24);
    expect(rows[0].latest).toEqual(new Date(NOW.getTime() - 25 * 60_000 - H));
    expect(rows[0].unpacked).toBeGreaterThan(0);
    expect(rows[0].packed).toBeGreaterThan(10 * rows[0].unpacked);
    // Row for row the samples of the reference (plain sample rows, read the way the store read
    // them before packing) are those the packed store returns.
    const plain = await ref.pool.query("SELECT series_id, ts, value FROM pgpulse.samples ORDER BY series_id, ts");
    const read = await packed.pool.query("SELECT series_id, ts, value FROM pgpulse.raw_samples(NULL, '-infinity', 'infinity') ORDER BY series_id, ts");
    expect(read.rows.length).toBe(plain.rows.length);
    expect(read.rows).toEqual(plain.rows);
  });

  it("moves the minute rollups of closed hours the same way", async () => {
    const { rows } = await sql.query<{ unpacked: number; packed: number; latest: Date }>(
      `SELECT (SELECT count(*) FROM pgpulse.samples_1m)::int AS unpacked,
              (SELECT coalesce(sum(cardinality(min)), 0) FROM pgpulse.samples_1m_packed)::int AS packed,
              (SELECT max(hour) FROM pgpulse.samples_1m_packed) AS latest`,
    );
    // The minute rollup is done up to NOW's minute: the hours before NOW's are packed.
    expect(rows[0].latest).toEqual(new Date(NOW.getTime() - 25 * 60_000 - H));
    expect(rows[0].packed).toBeGreaterThan(10 * rows[0].unpacked);
    const plain = await ref.pool.query("SELECT * FROM pgpulse.samples_1m ORDER BY series_id, bucket");
    const read = await packed.pool.query("SELECT * FROM pgpulse.minute_rollups(NULL, '-infinity', 'infinity') ORDER BY series_id, bucket");
    expect(read.rows.length).toBe(plain.rows.length);
    expect(read.rows).toEqual(plain.rows);
  });

  it("gives every reader the same figures", async () => {
    const [a, b] = [await answers(ref), await answers(packed)];
    expect(figures(a, "tps raw 60 app")).toBeGreaterThan(200);
    expect(figures(a, "connections_active raw 15 undefined")).toBeGreaterThan(400);
    expect(figures(a, "longest_query_seconds 1m 300 undefined")).toBeGreaterThan(50);
    expect(figures(a, "database_size_bytes 1h 3600 undefined")).toBeGreaterThan(300);
    expect(b).toEqual(a);
  }, 120_000);

  it("merges late samples into a packed hour, a sample stored twice counted once", async () => {
    const hour = NOW.getTime() - 4 * H - 25 * 60_000; // a packed hour
    const late = [
      ok("connections", "t", at(new Date(hour), 7.5), [{ total: 99, usable: 97, saturation: 99 / 97 }]),
      ok("db_size", "t", at(new Date(hour), 3333.25), [{ datname: "app", bytes: 1 }]),
    ];
    // A batch that was written before, sent again.
    const again = results(hour + 600_000, hour + 630_000);
    await Promise.all([write(ref, late), write(packed, [...late, ...again])]);
    const { rows } = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM pgpulse.samples WHERE ts < $1", [new Date(hour + H)]);
    expect(rows[0].n).toBeGreaterThan(0);
    await Promise.all([rollup(ref.pool, NOW), rollup(packed.pool, NOW)]);
    // The recomputed minutes sit beside their packed versions until the hour is packed again.
    const { rows: minutes } = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM pgpulse.samples_1m WHERE bucket < $1", [new Date(hour + H)]);
    expect(minutes[0].n).toBeGreaterThan(0);
    const before = await answers(packed);
    expect(before).toEqual(await answers(ref));
    await packSamples(packed.pool, NOW);
    const { rows: after } = await sql.query<{ n: number; m: number }>(
      "SELECT (SELECT count(*) FROM pgpulse.samples WHERE ts < $1)::int AS n, (SELECT count(*) FROM pgpulse.samples_1m WHERE bucket < $1)::int AS m",
      [new Date(hour + H)],
    );
    expect(after[0]).toEqual({ n: 0, m: 0 });
    expect(await answers(packed)).toEqual(before);
    const conn = await packed.seriesRange("t", "connections.total", null, new Date(hour), new Date(hour + 60_000), { resolution: "raw", now: NOW });
    expect(conn.series[0].points.map((p) => [p.ts.toISOString(), p.sum])).toContainEqual([at(new Date(hour), 7.5).toISOString(), 99]);
  }, 180_000);
});
