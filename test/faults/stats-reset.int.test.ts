import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterIntervals, getSeries } from "@/lib/analysis/series";
import type { Pgpulse } from "@/lib/server/compose";
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

const okAfter = (metric: string, t: number) => seen.filter((s) => s.targetId === "t" && s.metric === metric && s.status === "ok" && s.ts > t).length;

describe("statistics reset by someone else", () => {
  it("pg_stat_reset() and pg_stat_statements_reset(): a gap, no false alert", async () => {
    const start = Date.now();
    await until("db_stats and slow_queries collected a few times", () => okAfter("db_stats", start) >= 4 && okAfter("slow_queries", start) >= 3, 20_000);

    const resetAt = Date.now();
    await app.query("SELECT pg_stat_reset(), pg_stat_statements_reset()");
    await until("db_stats and slow_queries collected after the reset", () => okAfter("db_stats", resetAt) >= 4 && okAfter("slow_queries", resetAt) >= 3, 20_000);
    await rt.alerts.idle();
    await rt.store.flush();

    // A gap: the stats_reset marker changed, so the interval across it has no delta.
    const from = new Date(start - 2_000);
    const to = new Date(Date.now() + 1_000);
    const raw = await rt.store.seriesRange("t", "db_stats.xact_commit", { datname: "postgres" }, from, to, { resolution: "raw" });
    const marks = await rt.store.seriesRange("t", "db_stats.stats_reset_epoch", { datname: "postgres" }, from, to, { resolution: "raw" });
    const pts = raw.series[0].points;
    const firstAfter = pts.find((p) => p.ts.getTime() > resetAt)!;
    const lastBefore = pts.filter((p) => p.ts.getTime() < resetAt).at(-1)!;
    expect(firstAfter.lastValue).toBeLessThan(lastBefore.lastValue);
    const across = counterIntervals(pts, marks.series[0]?.points ?? []).find((iv) => iv.end === firstAfter.ts.getTime())!;
    expect(across.delta).toBeNull();
    const tps = await getSeries(rt.store, { targetId: "t", metric: "tps", from, to, stepSeconds: 1, database: "postgres" });
    for (const [, v] of tps.points) if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
    const hit = await getSeries(rt.store, { targetId: "t", metric: "cache_hit_ratio", from, to, stepSeconds: 1, database: "postgres" });
    for (const [, v] of hit.points) if (v !== null) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(100);

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
