import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterIntervals, getSeries } from "@/lib/analysis/series";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { faultConfig, PRELOAD, removeRoot, startFaultPgpulse, startFaultServer, tempRoot, until, type FaultServer } from "./support";

// Fault 1: the target stops (fast shutdown), then crashes (immediate shutdown), and comes back.
// The user sees the target down with its error and since when, the last data kept with its
// time, target_down firing within two probe cadences of its `for`, and — after the crash —
// a gap in the TPS chart where the counters were reset, never a negative rate or a spike.

const FOR_SECONDS = 2;
const CADENCE_MS = 1_000; // the probe's interval while up, and its backoff cap while down
const PRE_CRASH_COMMITS = 2_000;

let root: string;
let target: FaultServer;
let db: TestDatabase;
let rt: Pgpulse;
let storeRead: pg.Pool;

interface AlertRow {
  id: number;
  state: string;
  since: Date;
  fired_at: Date | null;
  resolved_at: Date | null;
}

const targetDownAlerts = async () =>
  (await storeRead.query<AlertRow>("SELECT id, state, since, fired_at, resolved_at FROM pgpulse.alerts WHERE rule = 'target_down' ORDER BY id")).rows;

const okCount = (metric: string, after: number) => {
  const r = rt.snapshot("t1")?.metrics[metric];
  return r?.status === "ok" && r.ts.getTime() > after;
};

beforeAll(async () => {
  root = await tempRoot("down");
  target = await startFaultServer(root, "target", PRELOAD);
  db = await createTestDatabase(17, "fault_down");
  storeRead = new pg.Pool({ connectionString: db.url, max: 1 });
  rt = await startFaultPgpulse({
    config: faultConfig({
      targets: [{ id: "t1", name: "Target one", url: target.url() }],
      rules: { target_down: { forSeconds: FOR_SECONDS } },
    }),
    storeUrl: db.url,
  });
});

afterAll(async () => {
  await rt?.stop();
  await storeRead?.end();
  await target?.stop();
  await db?.drop();
  await removeRoot(root);
});

describe("target stopped, then restarted", () => {
  it("fast shutdown: down with the error, last data kept, target_down fires in time and resolves", async () => {
    await until("target up with db_stats samples", () => rt.health().targets[0].up === true && okCount("db_stats", 0) && okCount("stat_activity", 0));
    const beforeStop = rt.snapshot("t1")!.metrics.stat_activity;

    const stoppedAt = Date.now();
    await target.stop();
    const down = await until("health shows the target down", () => {
      const t = rt.health().targets[0];
      return t.up === false ? t : null;
    });
    expect(rt.health().status).toBe("down");
    expect(down.lastError).toMatch(/ECONNREFUSED|ECONNRESET|terminat|shutting down|Connection/i);
    const downSince = new Date(down.downSince!).getTime();
    expect(downSince).toBeGreaterThanOrEqual(stoppedAt - 50);
    expect(downSince - stoppedAt).toBeLessThanOrEqual(2 * CADENCE_MS);
    expect(new Date(down.lastSampleAt!).getTime()).toBeLessThan(downSince);

    // What the live page reads: the last good rows, with the time they were taken.
    const kept = rt.snapshot("t1")!.metrics.stat_activity;
    expect(kept.status).toBe("ok");
    expect(kept.ts.getTime()).toBeLessThan(downSince);
    expect(kept.ts.getTime()).toBeGreaterThanOrEqual(beforeStop.ts.getTime());

    const fired = await until("target_down firing in the store", async () => (await targetDownAlerts()).find((a) => a.state === "firing"), 15_000);
    expect(fired.fired_at!.getTime() - downSince).toBeLessThanOrEqual(FOR_SECONDS * 1000 + 2 * CADENCE_MS);
    expect(fired.fired_at!.getTime() - downSince).toBeGreaterThanOrEqual(FOR_SECONDS * 1000 - 50);

    const restartedAt = Date.now();
    await target.start();
    await until("target up again", () => rt.health().targets[0].up === true);
    expect(rt.health().targets[0].lastError).toBeNull();
    await until("collection resumed", () => okCount("stat_activity", restartedAt) && okCount("db_stats", restartedAt), 10_000);
    const resolved = await until("target_down resolved", async () => (await targetDownAlerts()).find((a) => a.id === fired.id && a.state === "resolved"));
    expect(resolved.resolved_at!.getTime()).toBeGreaterThanOrEqual(restartedAt);
  }, 60_000);

  it("crash (immediate shutdown): counters reset become a gap in tps, never negative or a spike", async () => {
    // A pre-crash counter far above anything pgpulse's own statements add in a second (a fresh
    // server has a few dozen commits, and pgpulse runs up to ~35/s): a reset read as an increase
    // would then be a spike of the whole counter. Built, and sampled, before the measured window,
    // so its own burst is no rate inside it.
    const burst = new pg.Client({ connectionString: target.url() });
    await burst.connect();
    const base = Number((await burst.query("SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'")).rows[0].xact_commit);
    for (let i = 0; i < PRE_CRASH_COMMITS; i++) await burst.query("SELECT 1");
    await burst.end(); // a backend's exit flushes its counts
    const built = await until("a db_stats sample holding the burst", async () => {
      await rt.store.flush();
      const r = await rt.store.seriesRange("t1", "db_stats.xact_commit", { datname: "postgres" }, new Date(Date.now() - 60_000), new Date(Date.now() + 1000), { resolution: "raw" });
      return r.series[0]?.points.find((p) => p.lastValue >= base + PRE_CRASH_COMMITS);
    });
    const from = new Date(built.ts.getTime() + 1_000);
    // A few db_stats samples before the crash, so there are rates on both sides of it.
    const t0 = from.getTime();
    await until("three db_stats samples before the crash", async () => {
      await rt.store.flush();
      const r = await rt.store.seriesRange("t1", "db_stats.xact_commit", { datname: "postgres" }, new Date(t0), new Date(Date.now() + 1000), { resolution: "raw" });
      return (r.series[0]?.points.length ?? 0) >= 3;
    });
    const crashedAt = Date.now();
    await target.crash();
    await until("target down after the crash", () => rt.health().targets[0].up === false);
    await target.start();
    const back = Date.now();
    await until("target up after the crash", () => rt.health().targets[0].up === true);
    await until("three db_stats samples after the crash", async () => {
      await rt.store.flush();
      const r = await rt.store.seriesRange("t1", "db_stats.xact_commit", { datname: "postgres" }, new Date(back), new Date(Date.now() + 1000), { resolution: "raw" });
      return (r.series[0]?.points.length ?? 0) >= 3;
    }, 20_000);

    // The counter really was reset by the crash: the first value after it is below the last before.
    const raw = await rt.store.seriesRange("t1", "db_stats.xact_commit", { datname: "postgres" }, from, new Date(Date.now() + 1000), { resolution: "raw" });
    const pts = raw.series[0].points;
    const lastBefore = pts.filter((p) => p.ts.getTime() < crashedAt).at(-1)!;
    const firstAfter = pts.find((p) => p.ts.getTime() > back)!;
    expect(firstAfter.lastValue).toBeLessThan(lastBefore.lastValue);

    const tps = await getSeries(rt.store, { targetId: "t1", metric: "tps", from, to: new Date(Date.now() + 1000), stepSeconds: 1, database: "postgres" });
    const values = tps.points.map(([, v]) => v);
    const known = values.filter((v): v is number => v !== null);
    expect(known.length).toBeGreaterThanOrEqual(3);
    for (const v of known) expect(v).toBeGreaterThanOrEqual(0);
    // pgpulse's own statements are the only load in the window: a few dozen per second at most.
    // A reset read as an increase would show the whole pre-crash counter in one second.
    expect(lastBefore.lastValue).toBeGreaterThanOrEqual(PRE_CRASH_COMMITS);
    expect(Math.max(...known)).toBeLessThan(lastBefore.lastValue / 2);
    // The interval across the crash is a gap: the reset interval has no delta at all.
    const markers = await rt.store.seriesRange("t1", "db_stats.stats_reset_epoch", { datname: "postgres" }, from, new Date(Date.now() + 1000), { resolution: "raw" });
    const across = counterIntervals(pts, markers.series[0]?.points ?? []).find((iv) => iv.end === firstAfter.ts.getTime())!;
    expect(across.delta).toBeNull();
    // No bucket holds only the crash interval with a value: where it is alone, the chart has null.
    const gapBucket = tps.points.find(([t]) => {
      const start = new Date(t).getTime();
      return start <= firstAfter.ts.getTime() && firstAfter.ts.getTime() < start + 1000;
    })!;
    expect(gapBucket[1] === null || gapBucket[1] < lastBefore.lastValue / 2).toBe(true);
    // …and rates resume after it.
    expect(tps.points.some(([t, v]) => new Date(t).getTime() > firstAfter.ts.getTime() && v !== null)).toBe(true);
  }, 60_000);
});
