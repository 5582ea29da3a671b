import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { adminPool, faultConfig, pgpulseSessions, removeRoot, spyResults, startFaultPgpulse, startFaultServer, tempRoot, until, type FaultServer } from "./support";

// Many targets on one server with a tight connection budget: idle connections are closed all
// the time so another target can take the slot. Closing one must never pull a pool out from
// under a run that holds it: such a run failed with "Cannot use a pool after calling end on
// the pool", and a failed probe marked a healthy database down (a few dozen times in four
// minutes with 200 databases on one server).

const TARGETS = 30;
const DBS = Array.from({ length: TARGETS }, (_, i) => `evict_${String(i + 1).padStart(2, "0")}`);

let root: string;
let srv: FaultServer;
let storeDb: TestDatabase;

beforeAll(async () => {
  root = await tempRoot("budget-eviction");
  [srv, storeDb] = await Promise.all([startFaultServer(root, "target"), createTestDatabase(17, "fault_evict_store")]);
  const admin = adminPool(srv.url());
  // A few tables each, so the bulk tasks hold their connection a little while.
  await admin.query("CREATE DATABASE evict_template");
  const tpl = adminPool(srv.url("evict_template"));
  for (let i = 0; i < 5; i++) await tpl.query(`CREATE TABLE t${i} (id int PRIMARY KEY, v text); INSERT INTO t${i} SELECT g, md5(g::text) FROM generate_series(1, 200) g`);
  await tpl.end();
  for (const db of DBS) await admin.query(`CREATE DATABASE ${db} TEMPLATE evict_template`);
  await admin.end();
}, 120_000);

afterAll(async () => {
  await srv?.stop();
  await storeDb?.drop();
  await removeRoot(root);
});

interface FleetRun {
  /** Runs that failed on an ended pool, as "target metric". */
  ended: string[];
  /** Down marks, as "target: error". */
  downs: string[];
  /** Targets not up at the end. */
  notUp: string[];
  /** Targets that stored table_stats at least once. */
  collected: number;
  /** Most monitoring sessions seen on the server at once (pg_stat_activity, sampled). */
  most: number;
}

/** Runs pgpulse over every database for `ms` once all are up, sampling its sessions on the server. */
async function runFleet(connectionsPerServer: number, concurrentRuns: number, ms: number): Promise<FleetRun> {
  const rt = await startFaultPgpulse({
    config: faultConfig({ targets: DBS.map((db) => ({ id: db, name: db, url: srv.url(db) })), collection: { connectionsPerServer, concurrentRuns } }),
    storeUrl: storeDb.url,
  });
  const seen = spyResults(rt, true);
  const admin = adminPool(srv.url());
  try {
    let most = 0;
    let samples = 0;
    const sample = async () => {
      most = Math.max(most, (await pgpulseSessions(admin)).length);
      samples++;
    };
    await until("every target answered its first probe", async () => (await sample(), DBS.every((db) => rt.snapshot(db)?.up)), 60_000, 20);
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      await sample();
      await new Promise((r) => setTimeout(r, 20));
    }
    const run: FleetRun = {
      ended: seen.filter((s) => s.error?.includes("after calling end on the pool")).map((s) => `${s.targetId} ${s.metric}`),
      downs: seen.filter((s) => s.metric === "up" && s.up === 0).map((s) => `${s.targetId}: ${String(s.rows?.[0]?.error)}`),
      notUp: DBS.filter((db) => !rt.snapshot(db)?.up),
      collected: new Set(seen.filter((s) => s.status === "ok" && s.metric === "table_stats").map((s) => s.targetId)).size,
      most,
    };
    const oks = seen.filter((s) => s.status === "ok" && s.metric !== "up").length;
    console.info(
      `budget-eviction: ${TARGETS} targets, budget ${connectionsPerServer}, ${concurrentRuns} runs in flight: ${oks} ok results, ` +
        `${run.ended.length} runs on an ended pool, ${run.downs.length} down marks, at most ${most} sessions over ${samples} samples`,
    );
    return run;
  } finally {
    await admin.end();
    await rt.stop();
  }
}

function expectHealthy(run: FleetRun, budget: number): void {
  expect(run.ended).toEqual([]);
  expect(run.downs).toEqual([]);
  expect(run.notUp).toEqual([]);
  // Collection went on: the budget was shared, not stuck on idle sessions.
  expect(run.collected).toBeGreaterThan(TARGETS / 2);
  expect(run.most).toBeGreaterThan(0);
  expect(run.most).toBeLessThanOrEqual(budget);
}

describe("a connection budget shared by many targets", () => {
  // Runs in flight are the bottleneck: a run waits for its global slot holding a pool whose idle
  // connection has a budget slot, while other targets' runs queue for the server's budget and
  // ask idle connections to close.
  it("closes idle connections for waiting runs without failing a run that holds one", async () => {
    expectHealthy(await runFleet(8, 2, 20_000), 8);
  }, 150_000);

  // The server's budget is the bottleneck: connections are closed and reopened all the time.
  it("never opens more connections than the budget, and no run fails for it", async () => {
    expectHealthy(await runFleet(3, 8, 15_000), 3);
  }, 150_000);
});
