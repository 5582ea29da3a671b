import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterIntervals, getSeries } from "@/lib/analysis/series";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { adminPool, faultConfig, PRELOAD, removeRoot, spyResults, startFaultPgpulse, startFaultServer, tempRoot, until, type FaultServer, type SeenResult } from "./support";

// Fault 6: someone else resets the statistics — pg_stat_reset() and pg_stat_statements_reset()
// — under pgpulse. The interval across the reset is a gap in the rates, and neither the cache
// hit ratio nor the slow-query rule fires from it. The rules are made as sensitive as they go
// (no access floor, a 5 s window, a 50 ms query threshold) so a reset read as data would fire.

let root: string;
let srv: FaultServer;
let storeDb: TestDatabase;
let rt: Pgpulse;
let seen: SeenResult[];
let app: ReturnType<typeof adminPool>;
let stopLoad = false;
let load: Promise<void> | null = null;

beforeAll(async () => {
  root = await tempRoot("reset");
  [srv, storeDb] = await Promise.all([startFaultServer(root, "target", PRELOAD), createTestDatabase(17, "fault_reset_store")]);
  app = adminPool(srv.url(), 2);
  await app.query("CREATE EXTENSION pg_stat_statements; CREATE TABLE hot (id int primary key, v text); INSERT INTO hot SELECT g, md5(g::text) FROM generate_series(1, 2000) g");
  rt = await startFaultPgpulse({
    config: faultConfig({
      targets: [{ id: "t", name: "Target", url: srv.url(), thresholds: { queryTimeMs: 50 } }],
      rules: { cache_hit_ratio: { minBlockAccesses: 0, windowSeconds: 5 } },
    }),
    storeUrl: storeDb.url,
  });
  seen = spyResults(rt);
  // A steady application load: fast, cached reads (≈ 100 % hit ratio), about 10 ms each.
  load = (async () => {
    while (!stopLoad) await app.query("SELECT count(*) FROM hot WHERE v LIKE 'a%'").catch(() => {});
  })();
});

afterAll(async () => {
  stopLoad = true;
  await load;
  await rt?.stop();
  await app?.end();
  await srv?.stop();
  await storeDb?.drop();
  await removeRoot(root);
});

const STEP_MS = 1_000;
const okAfter = (metric: string, t: number) => seen.filter((s) => s.targetId === "t" && s.metric === metric && s.status === "ok" && s.ts > t).length;

describe("statistics reset by someone else", () => {
  it("pg_stat_reset() and pg_stat_statements_reset(): a gap, no false alert", async () => {
    const start = Date.now();
    await until("db_stats and slow_queries collected a few times", () => okAfter("db_stats", start) >= 4 && okAfter("slow_queries", start) >= 3, 20_000);

    // The reset happens somewhere between sending it and its answer: a sample stamped in between
    // may have read either side (under load the statement can wait behind a running sample).
    const sentAt = Date.now();
    await app.query("SELECT pg_stat_reset(), pg_stat_statements_reset()");
    const doneAt = Date.now();
    await until("db_stats and slow_queries collected after the reset", () => okAfter("db_stats", doneAt) >= 4 && okAfter("slow_queries", doneAt) >= 3, 20_000);
    // A ratio needs block traffic in its interval, and backends flush their counts lazily: under
    // load some intervals after the reset carry none and are rightly gaps (0/0 is not a figure).
    // So wait, bounded, until three steps after the reset carry a hit ratio.
    await until(
      "a cache hit ratio served after the reset",
      async () => {
        await rt.store.flush();
        const pts = (await getSeries(rt.store, { targetId: "t", metric: "cache_hit_ratio", from: new Date(doneAt), to: new Date(Date.now() + 1_000), stepSeconds: 1, database: "postgres" })).points;
        return pts.filter(([ts, v]) => v !== null && Date.parse(ts) >= doneAt).length >= 3 || null;
      },
      30_000,
      500,
    );
    await rt.alerts.idle();
    await rt.store.flush();

    // A gap: the stats_reset marker changed, so the interval across it has no delta.
    const from = new Date(start - 2_000);
    const to = new Date(Date.now() + 1_000);
    const raw = await rt.store.seriesRange("t", "db_stats.xact_commit", { datname: "postgres" }, from, to, { resolution: "raw" });
    const marks = await rt.store.seriesRange("t", "db_stats.stats_reset_epoch", { datname: "postgres" }, from, to, { resolution: "raw" });
    const pts = raw.series[0].points;
    // The one drop of the counter is the reset: no earlier than a cadence before it was sent
    // (a sample's stamp is its start), no later than the first sample stamped after its answer.
    const drops = pts.flatMap((p, i) => (i > 0 && p.lastValue < pts[i - 1].lastValue ? [p] : []));
    expect(drops).toHaveLength(1);
    const firstAfter = drops[0];
    const firstAfterDone = pts.find((p) => p.ts.getTime() > doneAt)!;
    expect(firstAfter.ts.getTime()).toBeGreaterThanOrEqual(sentAt - 1_500);
    expect(firstAfter.ts.getTime()).toBeLessThanOrEqual(firstAfterDone.ts.getTime());
    const resetAt = firstAfter.ts.getTime();
    const intervals = counterIntervals(pts, marks.series[0]?.points ?? []);
    const across = intervals.find((iv) => iv.end === firstAfter.ts.getTime());
    expect(across).toBeDefined();
    expect(across!.delta).toBeNull();

    // The served rates: real figures on both sides of the reset. Both waits above saw four
    // samples, so each side has at least three usable intervals; at 1 s steps and a cadence of
    // 0.9–1.1 s two of them may share a step, hence two steps at least.
    const sides = (points: Array<[string, number | null]>) => {
      const present = points.filter((p): p is [string, number] => p[1] !== null).map(([ts, v]) => ({ start: Date.parse(ts), v }));
      return { present, before: present.filter((p) => p.start + STEP_MS <= Math.min(sentAt, resetAt)).length, after: present.filter((p) => p.start >= Math.max(doneAt, resetAt)).length };
    };
    const tps = sides((await getSeries(rt.store, { targetId: "t", metric: "tps", from, to, stepSeconds: 1, database: "postgres" })).points);
    expect(tps.before).toBeGreaterThanOrEqual(2);
    expect(tps.after).toBeGreaterThanOrEqual(2);
    for (const p of tps.present) expect(p.v).toBeGreaterThanOrEqual(0);
    const hit = sides((await getSeries(rt.store, { targetId: "t", metric: "cache_hit_ratio", from, to, stepSeconds: 1, database: "postgres" })).points);
    expect(hit.before).toBeGreaterThanOrEqual(2);
    expect(hit.after).toBeGreaterThanOrEqual(2);
    for (const p of hit.present) {
      expect(p.v).toBeGreaterThanOrEqual(0);
      expect(p.v).toBeLessThanOrEqual(100);
    }

    // The reset interval itself is a gap: its step's rate comes only from the other intervals
    // ending in that step (a neighbour sample may share it at this cadence), and is null when
    // there are none. A reset read as data would change the figure or fill the gap.
    const resetStep = Math.floor(across!.end / STEP_MS) * STEP_MS;
    const others = intervals.filter((iv) => iv !== across && iv.delta !== null && iv.ms > 0 && Math.floor(iv.end / STEP_MS) * STEP_MS === resetStep);
    const expected = others.length === 0 ? null : others.reduce((s, iv) => s + iv.delta!, 0) / (others.reduce((s, iv) => s + iv.ms, 0) / 1000);
    const commits = await getSeries(rt.store, { targetId: "t", metric: "commits_per_second", from, to, stepSeconds: 1, database: "postgres", resolution: "raw" });
    const atReset = commits.points.find(([ts]) => Date.parse(ts) === resetStep);
    expect(atReset).toBeDefined();
    if (expected === null) expect(atReset![1]).toBeNull();
    else expect(atReset![1]).toBeCloseTo(expected, 6);

    // No alert of any kind came from it.
    const { rows } = await rt.store.pool.query("SELECT rule, object_key, state FROM pgpulse.alerts WHERE target_id = 't'");
    expect(rows).toEqual([]);
    expect(rt.alerts.openInstances()).toEqual([]);
    // pg_stat_statements windows after the reset carry no negative or inflated figures.
    const sq = rt.snapshot("t")!.metrics.slow_queries;
    expect(sq.status).toBe("ok");
    if (sq.status === "ok") {
      for (const r of sq.rows.filter((x) => x.source === "pg_stat_statements")) {
        expect(r.calls as number).toBeGreaterThanOrEqual(0);
        expect(r.duration_ms as number).toBeLessThan(1_000);
      }
    }
  }, 60_000);
});
