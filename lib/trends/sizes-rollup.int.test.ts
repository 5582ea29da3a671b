import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { getDefinition } from "@/lib/metrics/catalog";
import { convertResult } from "@/lib/store/convert";
import { createStore } from "@/lib/store/store";
import { insertHistoryRows } from "@/lib/store/write";
import type { Store } from "@/lib/store/types";
import type { MetricResult } from "@/lib/metrics/types";
import type { TrendsResponse } from "@/lib/api/trends";
import { buildTrends } from "./build";
import { parseIsoWeek } from "./iso-week";
import { sizesAtBoundaries, weekHistorySignature } from "./queries";

// Table sizes on the weekly page read from the hourly size rollup must be the figures read from
// the row history itself. Sixteen days of table_stats sets (every 20 minutes, some on the hour,
// a quiet day, tables appearing and dropped) written through the store; the page is built before
// the rollup has run (every size from snapshot_values, as before) and after, in three zones (one
// with a half-hour offset), for a finished week and the running one.

const H = 3_600_000;
const T0 = Date.parse("2026-03-01T20:00:00Z");
const END = Date.parse("2026-03-17T09:40:00Z");
const NOW = new Date(END + 5 * 60_000);
const QUIET = [Date.parse("2026-03-07T00:00:00Z"), Date.parse("2026-03-08T03:00:00Z")];
const thresholds = { tableSizeBytes: 5e9, cacheHitRatioPercent: 90, indexBloatPercent: 30, queryTimeMs: 1000 };
const cases = [
  { week: "2026-W11", tz: "UTC" },
  { week: "2026-W11", tz: "Europe/Berlin" },
  { week: "2026-W11", tz: "Asia/Kolkata" },
  { week: "2026-W12", tz: "Europe/Berlin" },
];

let db: TestDatabase;
let store: Store;
let sql: pg.Client;

function tableSets(): MetricResult[] {
  const out: MetricResult[] = [];
  for (let t = T0, k = 0; t <= END; t += 20 * 60_000, k++) {
    if (t >= QUIET[0] && t < QUIET[1]) continue;
    // Off the hour by a few seconds except every sixth set.
    const ts = new Date(k % 6 === 0 ? t : t + 7_000 + (k % 5) * 1000);
    const rows = [];
    for (let i = 0; i < 40; i++) {
      if (i === 39 && t > Date.parse("2026-03-10T12:00:00Z")) continue; // dropped
      if (i === 38 && t < Date.parse("2026-03-12T00:00:00Z")) continue; // created
      const total = i % 4 === 0 ? 1e9 + i * 1e7 + k * 3e6 : i % 4 === 1 ? 3e8 * (1 + Math.floor(k / 200)) : i % 4 === 2 ? 6e7 - k * 1e4 : 2e7 + (k % 3) * 8192;
      rows.push({ schemaname: i % 5 ? "public" : "audit", relname: `t${i}`, total_bytes: i === 7 && k % 9 === 0 ? null : total, n_live_tup: k, n_dead_tup: 0 });
    }
    out.push({ status: "ok", metric: "table_stats", targetId: "dev", ts, durationMs: 1, rows });
  }
  return out;
}

async function pages(): Promise<TrendsResponse[]> {
  const out: TrendsResponse[] = [];
  for (const c of cases) {
    out.push(
      await buildTrends(store, [{ id: "dev", name: "dev", database: "app", thresholds }], { week: parseIsoWeek(c.week)!, tz: c.tz, now: NOW, redact: (x) => x }),
    );
  }
  return out;
}

const boundaries = Array.from({ length: 15 }, (_, d) => new Date(Date.parse("2026-03-02T00:00:00Z") + d * 24 * H - 30 * 60_000));

let before: TrendsResponse[];
let beforeSizes: Awaited<ReturnType<typeof sizesAtBoundaries>>;

beforeAll(async () => {
  db = await createTestDatabase(17, "sizesrollup");
  store = createStore({ url: db.url, flushIntervalMs: 60_000, maxBufferedHistoryRows: 10_000_000 });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  await store.migrate();
  for (const r of tableSets()) store.accept(r);
  await store.flush();
  before = await pages();
  beforeSizes = await sizesAtBoundaries(store.pool, "dev", "table_stats", boundaries);
}, 180_000);

afterAll(async () => {
  await store?.close();
  await sql?.end();
  await db?.drop();
});

const byKey = <T extends { objectKey: string }>(xs: T[]) => [...xs].sort((a, b) => a.objectKey.localeCompare(b.objectKey));

describe("weekly table sizes from the hourly size rollup", () => {
  it("had figures to compare before the rollup", () => {
    for (const p of before) expect(p.targets[0].tables.length).toBeGreaterThan(5);
    expect(beforeSizes.length).toBe(40);
  });

  it("rolls up each hour's last set, then only what changed", async () => {
    const r = await store.runMaintenance(NOW);
    // 16 days minus the quiet 27 hours, each hour once.
    const { rows } = await sql.query("SELECT count(*)::int AS n FROM pgpulse.snapshot_sizes_1h");
    expect(r.sizeHoursRolledUp).toBe(rows[0].n);
    expect(rows[0].n).toBeGreaterThan(300);
    expect((await store.runMaintenance(NOW)).sizeHoursRolledUp).toBe(0);
  });

  it("gives the same page in every zone, finished week and running week", async () => {
    const after = await pages();
    for (let i = 0; i < cases.length; i++) expect(after[i]).toEqual({ ...before[i], generatedAt: after[i].generatedAt });
    expect(byKey(await sizesAtBoundaries(store.pool, "dev", "table_stats", boundaries))).toEqual(byKey(beforeSizes));
  });

  it("reads whole-hour zones' boundaries from the rollup alone", async () => {
    // Without the per-object rows of every closed hour, the page must still be the same (a
    // half-hour zone's boundaries are not hour ends: it reads snapshot_values, checked above).
    await sql.query("DELETE FROM pgpulse.snapshot_values WHERE ts < date_trunc('hour', $1::timestamptz)", [NOW]);
    const after = await pages();
    for (const i of [0, 1, 3]) expect(after[i]).toEqual({ ...before[i], generatedAt: after[i].generatedAt });
  });

  it("rebuilds an hour when a set arrives late in it", async () => {
    const late = new Date(Date.parse("2026-03-16T10:59:00Z"));
    // Written as a flush after an outage would: into an hour already rolled up.
    const set = convertResult({ status: "ok", metric: "table_stats", targetId: "dev", ts: late, durationMs: 1, rows: [{ schemaname: "public", relname: "t1", total_bytes: 123, n_live_tup: 1, n_dead_tup: 0 }] }, getDefinition);
    await insertHistoryRows(store.pool, set.historyRows, true);
    const [hour] = await sizesAtBoundaries(store.pool, "dev", "table_stats", [new Date("2026-03-16T11:00:00Z")]);
    expect(hour).toEqual({ objectKey: "public.t1", points: new Map([[0, { ts: late, bytes: 123 }]]) });
    expect((await store.runMaintenance(NOW)).sizeHoursRolledUp).toBe(1);
    const { rows } = await sql.query("SELECT ts, object_ids, bytes FROM pgpulse.snapshot_sizes_1h WHERE hour_end = '2026-03-16T11:00:00Z'");
    expect(rows).toEqual([{ ts: late, object_ids: [expect.any(Number)], bytes: [123] }]);
  });

  it("signs a finished week's history so rows added later change the cache key", async () => {
    const [from, to] = [new Date("2026-03-02T00:00:00Z"), new Date("2026-03-16T00:00:00Z")];
    const sig = () => weekHistorySignature(store.pool, ["dev"], from, to);
    const first = await sig();
    expect(await sig()).toBe(first);
    await sql.query(
      `INSERT INTO pgpulse.slow_query_events (target_id, source, dedupe_key, fingerprint, query, duration_ms, calls, captured_at, last_seen)
       VALUES ('dev', 'slow_query_log', 'late', 'fp', 'SELECT 1', 1500, 1, '2026-03-10T10:00:00Z', '2026-03-10T10:00:00Z')`,
    );
    const second = await sig();
    expect(second).not.toBe(first);
    // Another target's rows are not this answer's history.
    await sql.query(
      `INSERT INTO pgpulse.slow_query_events (target_id, source, dedupe_key, fingerprint, query, duration_ms, calls, captured_at, last_seen)
       VALUES ('other', 'slow_query_log', 'late', 'fp', 'SELECT 1', 1500, 1, '2026-03-10T10:00:00Z', '2026-03-10T10:00:00Z')`,
    );
    expect(await sig()).toBe(second);
  });
});
