import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { APPLICATION_NAMES } from "@/lib/db/application-names";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { adminPool, faultConfig, removeRoot, spyResults, startFaultPgpulse, startFaultServer, tempRoot, until, type FaultServer } from "./support";

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
  /** Most budgeted sessions (collection's and actions') seen on the server at once (pg_stat_activity, sampled). */
  most: number;
  /** Action connections taken during the run, and the failures among them. */
  actions: number;
  actionErrors: string[];
}

const BUDGETED = [APPLICATION_NAMES.monitor, APPLICATION_NAMES.action];

/** Takes action connections (as EXPLAIN and cancel do) one after another, on target after target, until stopped. */
function actionLoop(rt: Pgpulse): { stop(): Promise<{ taken: number; errors: string[] }> } {
  let stopping = false;
  let taken = 0;
  const errors: string[] = [];
  const loop = (async () => {
    for (let i = 0; !stopping; i++) {
      const db = DBS[(i * 7) % DBS.length];
      try {
        const client = await rt.actionPool(db).connect();
        try {
          await client.query("SELECT pg_sleep(0.05)");
        } finally {
          client.release();
        }
        taken++;
      } catch (e) {
        errors.push(`${db}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return { taken, errors };
    },
  };
}

/**
 * Runs pgpulse over every database for `ms` once all are up, sampling its sessions on the
 * server; with `actions`, action connections are taken all along too.
 */
async function runFleet(connectionsPerServer: number, concurrentRuns: number, ms: number, actions = false): Promise<FleetRun> {
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
      const { rows } = await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ANY($1)", [BUDGETED]);
      most = Math.max(most, rows[0].n);
      samples++;
    };
    await until("every target answered its first probe", async () => (await sample(), DBS.every((db) => rt.snapshot(db)?.up)), 60_000, 20);
    const acting = actions ? actionLoop(rt) : null;
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      await sample();
      await new Promise((r) => setTimeout(r, 20));
    }
    const acted = (await acting?.stop()) ?? { taken: 0, errors: [] };
    const run: FleetRun = {
      ended: seen.filter((s) => s.error?.includes("after calling end on the pool")).map((s) => `${s.targetId} ${s.metric}`),
      downs: seen.filter((s) => s.metric === "up" && s.up === 0).map((s) => `${s.targetId}: ${String(s.rows?.[0]?.error)}`),
      notUp: DBS.filter((db) => !rt.snapshot(db)?.up),
      collected: new Set(seen.filter((s) => s.status === "ok" && s.metric === "table_stats").map((s) => s.targetId)).size,
      most,
      actions: acted.taken,
      actionErrors: acted.errors,
    };
    const oks = seen.filter((s) => s.status === "ok" && s.metric !== "up").length;
    console.info(
      `budget-eviction: ${TARGETS} targets, budget ${connectionsPerServer}, ${concurrentRuns} runs in flight: ${oks} ok results, ` +
        `${run.ended.length} runs on an ended pool, ${run.downs.length} down marks, ${acted.taken} action connections (${acted.errors.length} failed), ` +
        `at most ${most} sessions over ${samples} samples`,
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
  expect(run.actionErrors).toEqual([]);
}

describe("a connection budget shared by many targets", () => {
  // Runs in flight are the bottleneck: a run waits for its global slot holding a pool whose idle
  // connection has a budget slot, while other targets' runs queue for the server's budget and
  // ask idle connections to close.
  it("closes idle connections for waiting runs without failing a run that holds one", async () => {
    expectHealthy(await runFleet(8, 2, 20_000), 8);
  }, 150_000);

  // The server's budget is the bottleneck: connections are closed and reopened all the time,
  // and action connections (EXPLAIN, cancel) draw on the same budget.
  it("never opens more connections than the budget, collection's and actions' together, and no run fails for it", async () => {
    const run = await runFleet(3, 8, 15_000, true);
    expectHealthy(run, 3);
    expect(run.actions).toBeGreaterThan(0);
  }, 150_000);
});
