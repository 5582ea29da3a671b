import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GLOBAL_SLOT_HOLD_MS } from "@/lib/collector/limits";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import {
  adminPool, FAST_INTERVALS, faultConfig, longestGap, pgpulseSessions, removeRoot, spyResults, startFaultPgpulse, startFaultServer,
  startFreezableProxy, startStallServer, tempRoot, until, type FaultServer, type SeenResult,
} from "./support";

// The collection bounds on real servers: five targets on one server stay within a budget of
// three monitoring connections and all keep collecting; a dead target (a port that never
// answers) and a hung one (a proxy frozen mid-session) do not hold back a healthy target's
// cadence, even with a global bound of two runs in flight.

const DBS = ["lim_1", "lim_2", "lim_3", "lim_4", "lim_5"];
const BUDGET = 3;

let root: string;
let srv: FaultServer;
let storeDb: TestDatabase;

beforeAll(async () => {
  root = await tempRoot("fleet-limits");
  [srv, storeDb] = await Promise.all([startFaultServer(root, "target"), createTestDatabase(17, "fault_limits_store")]);
  const admin = adminPool(srv.url());
  for (const db of DBS) await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
}, 60_000);

afterAll(async () => {
  await srv?.stop();
  await storeDb?.drop();
  await removeRoot(root);
});

describe("collection limits", () => {
  it("keeps the targets of one server within its connection budget, and every target collects", async () => {
    const rt = await startFaultPgpulse({
      config: faultConfig({ targets: DBS.map((db) => ({ id: db, name: db, url: srv.url(db) })), collection: { connectionsPerServer: BUDGET } }),
      storeUrl: storeDb.url,
    });
    const seen = spyResults(rt);
    const admin = adminPool(srv.url());
    try {
      let most = 0;
      const t0 = Date.now();
      while (Date.now() - t0 < 8_000) {
        most = Math.max(most, (await pgpulseSessions(admin)).length);
        await new Promise((r) => setTimeout(r, 25));
      }
      console.info(`fleet-limits: at most ${most} monitoring sessions for ${DBS.length} targets, budget ${BUDGET}`);
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(BUDGET);
      for (const db of DBS) {
        expect(seen.filter((s) => s.targetId === db && s.metric === "table_stats" && s.status === "ok").length, db).toBeGreaterThanOrEqual(2);
      }
    } finally {
      await admin.end();
      await rt.stop();
    }
  }, 40_000);

  it("a dead and a hung target do not hold back a healthy target's cadence", async () => {
    const stall = await startStallServer();
    const proxy = await startFreezableProxy(srv.port);
    const rt = await startFaultPgpulse({
      config: faultConfig({
        targets: [
          { id: "healthy", name: "Healthy", url: srv.url("lim_1") },
          { id: "dead", name: "Dead", url: `postgres://postgres@127.0.0.1:${stall.port}/postgres` },
          { id: "hung", name: "Hung", url: srv.url("lim_2").replace(`:${srv.port}/`, `:${proxy.port}/`) },
        ],
        collection: { concurrentRuns: 2 },
      }),
      storeUrl: storeDb.url,
    });
    const seen: SeenResult[] = spyResults(rt);
    try {
      await until("the hung target collected before its stall", () => seen.some((s) => s.targetId === "hung" && s.metric === "table_stats" && s.status === "ok"), 15_000);
      proxy.freeze();
      const from = Date.now();
      await new Promise((r) => setTimeout(r, 10_000));
      const gap = longestGap(seen, "healthy", "stat_activity", from, Date.now());
      console.info(`fleet-limits: healthy stat_activity longest gap ${gap} ms (interval ${FAST_INTERVALS.stat_activity} ms) beside a dead and a hung target`);
      // Its own interval (+10 % jitter), a global slot held at most GLOBAL_SLOT_HOLD_MS, and slack for a shared machine.
      expect(gap).toBeLessThan(FAST_INTERVALS.stat_activity * 1.1 + GLOBAL_SLOT_HOLD_MS + 1_000);
      expect(rt.snapshot("dead")?.up).toBe(false);
    } finally {
      // The stalled sockets go first, so stopping does not wait out the hung runs' watchdogs.
      await proxy.close();
      await stall.close();
      await rt.stop();
    }
  }, 60_000);
});
