import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "@/test/support/alerts";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { adminPool, faultConfig, removeRoot, startFaultPgpulse, startFaultServer, tempRoot, until, type FaultServer } from "./support";

// Fault 2: the history store stops while pgpulse runs, and comes back. Collection and alert
// evaluation go on; health says "degraded: store unreachable since …"; samples are buffered up
// to the bound (the oldest beyond it dropped and counted) and written on return; a whole alert
// episode that began and ended during the outage is written with its times and notified.

const BUFFER_BOUND = 1_500;

let root: string;
let storeSrv: FaultServer;
let targetB: FaultServer;
let dbA: TestDatabase;
let rt: Pgpulse;
let receiver: Receiver;
let storeRead: pg.Pool;

beforeAll(async () => {
  root = await tempRoot("store");
  [storeSrv, targetB, dbA, receiver] = await Promise.all([
    startFaultServer(root, "store"),
    startFaultServer(root, "target-b"),
    createTestDatabase(17, "fault_store_a"),
    startReceiver(),
  ]);
  const admin = adminPool(storeSrv.url());
  await admin.query("CREATE DATABASE pgpulse");
  await admin.end();
  storeRead = adminPool(storeSrv.url("pgpulse"), 1);
  rt = await startFaultPgpulse({
    config: faultConfig({
      targets: [
        { id: "a", name: "A", url: dbA.url },
        { id: "b", name: "B", url: targetB.url() },
      ],
      rules: { target_down: { forSeconds: 1 } },
      channels: [{ id: "hook", type: "webhook", url: receiver.url }],
    }),
    storeUrl: storeSrv.url("pgpulse"),
    store: { maxBufferedSamples: BUFFER_BOUND },
  });
});

afterAll(async () => {
  await rt?.stop();
  await storeRead?.end();
  await receiver?.close();
  await Promise.allSettled([storeSrv?.stop(), targetB?.stop()]);
  await dbA?.drop();
  await removeRoot(root);
});

const statActivityTs = (id: string) => {
  const r = rt.snapshot(id)?.metrics.stat_activity;
  return r?.status === "ok" ? r.ts.getTime() : 0;
};

describe("history store stopped, then restarted", () => {
  it("keeps collecting and alerting, buffers within the bound, writes everything kept on return", async () => {
    await until("both targets up and the store written", () => rt.health().status === "ok" && statActivityTs("a") > 0 && statActivityTs("b") > 0 && rt.store.status().lastFlushAt !== null);

    const storeStoppedAt = Date.now();
    await storeSrv.stop();
    const health = await until("health degraded by the store", () => (rt.health().store.reachable === false ? rt.health() : null));
    expect(health.status).toBe("degraded");
    expect(health.store.detail).toMatch(/^store unreachable since \d{4}-\d\d-\d\dT/);
    const since = new Date(health.store.since!).getTime();
    expect(since).toBeGreaterThanOrEqual(storeStoppedAt);
    expect(health.targets.every((t) => t.up === true)).toBe(true);

    // Collection goes on, on cadence (stat_activity every 0.5 s).
    const t1 = Date.now();
    await until("stat_activity still collected", () => statActivityTs("a") > t1 + 1_000, 5_000);

    // Alert evaluation goes on: a whole target_down episode of B inside the outage.
    const bStoppedAt = Date.now();
    await targetB.stop();
    await until("target_down firing for b in memory", () => rt.alerts.openInstances().find((i) => i.rule === "target_down" && i.targetId === "b" && i.state.state === "firing"), 10_000);
    await targetB.start();
    const bBackAt = Date.now();
    await until("target_down resolved for b in memory", () => !rt.alerts.openInstances().some((i) => i.rule === "target_down" && i.targetId === "b"), 10_000);
    expect(rt.store.status().reachable).toBe(false);

    // Past the bound, the oldest samples are dropped and counted.
    await until("the sample buffer overflowing", () => rt.store.status().dropped > 0, 30_000);
    const atReturn = rt.store.status();
    expect(atReturn.buffered).toBe(BUFFER_BOUND);
    expect(atReturn.reachable).toBe(false);

    const storeBackAt = Date.now();
    await storeSrv.start();
    await until("store reachable again", () => rt.store.status().reachable && rt.health().status === "ok", 20_000);
    expect(rt.health().store.detail).toBeNull();
    const after = rt.store.status();
    expect(after.dropped).toBeGreaterThanOrEqual(atReturn.dropped);

    expect(after.buffered).toBeLessThan(BUFFER_BOUND);
    // Every sample kept in memory was written. The buffer held the newest BUFFER_BOUND samples
    // of the outage; the flush backoff (≤ 10 s) let newer ones push out `displaced` more of them
    // (how many depends on the machine's load: the bound is that the store was written again
    // before a whole buffer's worth was displaced).
    const displaced = after.dropped - atReturn.dropped;
    expect(displaced).toBeLessThan(BUFFER_BOUND);
    const { rows: outage } = await storeRead.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pgpulse.raw_samples(NULL, $1, $2) WHERE ts > $1",
      [new Date(storeStoppedAt), new Date(storeBackAt)],
    );
    expect(outage[0].n + displaced).toBeGreaterThanOrEqual(BUFFER_BOUND);
    // The newest part of the outage is there without holes: target A's sessions every ≤ 1.5 s.
    const sa = await rt.store.seriesRange("a", "stat_activity.total", null, new Date(storeStoppedAt), new Date(storeBackAt), { resolution: "raw" });
    const times = sa.series[0].points.map((p) => p.ts.getTime());
    expect(times.length).toBeGreaterThan(3);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeLessThan(1_500);
    expect(storeBackAt - times.at(-1)!).toBeLessThan(1_500);
    // …and the oldest part was what the bound dropped.
    expect(times[0]).toBeGreaterThan(storeStoppedAt);

    // The episode that began and ended during the outage, with its real times, and both notices.
    const { rows: episodes } = await storeRead.query<{ id: number; state: string; since: Date; fired_at: Date; resolved_at: Date }>(
      "SELECT id, state, since, fired_at, resolved_at FROM pgpulse.alerts WHERE rule = 'target_down' AND target_id = 'b'",
    );
    expect(episodes).toHaveLength(1);
    const ep = episodes[0];
    expect(ep.state).toBe("resolved");
    expect(ep.since.getTime()).toBeGreaterThanOrEqual(bStoppedAt);
    expect(ep.fired_at.getTime()).toBeLessThan(bBackAt + 2_000);
    expect(ep.resolved_at.getTime()).toBeLessThan(storeBackAt);
    const { rows: events } = await storeRead.query<{ from_state: string; to_state: string }>(
      "SELECT from_state, to_state FROM pgpulse.alert_events WHERE alert_id = $1 ORDER BY at, id",
      [ep.id],
    );
    expect(events.map((e) => `${e.from_state}>${e.to_state}`)).toEqual(["inactive>pending", "pending>firing", "firing>resolved"]);
    await until("both notifications delivered", () => receiver.requests.filter((r) => r.body.rule === "target_down").length >= 2, 15_000);
    const states = receiver.requests.filter((r) => r.body.rule === "target_down").map((r) => r.body.state);
    expect(states).toEqual(["firing", "resolved"]);
  }, 90_000);
});
