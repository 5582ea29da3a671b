import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePlan } from "@/lib/analysis/explain-plan";
import { createLanePools, type LanePools } from "@/lib/collector/lane-pools";
import { createCollectionLimits, createSemaphore } from "@/lib/collector/limits";
import { createTargetPool } from "@/lib/db/pool";
import { isDomainError } from "@/lib/errors";
import { prepareExplain, runExplain } from "@/lib/server/commands/explain";
import { signalBackend } from "@/lib/server/commands/session-action";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { until } from "@/test/support/wait";
import { budgetedConnector, type ActionConnector } from "./action-connections";

// EXPLAIN and session actions draw on the server's monitoring budget (collection.connectionsPerServer):
// a burst over many targets of one server never has more sessions open than the budget, on a
// real server, counted in pg_stat_activity. And a person's request is served ahead of the
// collection runs waiting for the budget.

const APP = "pgpulse-action-burst";
// Long enough (a few hundred ms) for the burst's runs to overlap if nothing held them back.
const SLOW_SELECT = "SELECT count(*) FROM generate_series(1, 500000)";

describe("action connections within the server budget", () => {
  let db: TestDatabase;
  let watcher: pg.Client;
  const pools: pg.Pool[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(17, "budget");
    watcher = new pg.Client({ connectionString: db.url });
    await watcher.connect();
  });

  afterAll(async () => {
    for (const p of pools) await p.end().catch(() => {});
    await watcher?.end();
    await db?.drop();
  });

  /** One target's one-connection action pool, as compose.ts makes it. */
  const targetPool = () => {
    const p = createTargetPool({ url: db.url, max: 1, applicationName: APP, statementTimeoutMs: 30_000 });
    pools.push(p);
    return p;
  };
  const openSessions = async () => Number((await watcher.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [APP])).rows[0].n);

  /** Runs fn while sampling the sessions open on the server; returns its result and the peak. */
  async function sampled<T>(fn: () => Promise<T>): Promise<{ result: T; peak: number }> {
    let peak = 0;
    let done = false;
    const sampler = (async () => {
      while (!done) {
        peak = Math.max(peak, await openSessions());
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      return { result: await fn(), peak };
    } finally {
      done = true;
      await sampler;
    }
  }

  it("a burst of EXPLAIN ANALYZE over six targets of one server opens at most the budget's sessions", async () => {
    const budget = createSemaphore(2);
    const version = Number((await watcher.query("SHOW server_version_num")).rows[0].server_version_num);
    const prepared = await prepareExplain({ text: SLOW_SELECT, analyze: true, serverVersionNum: version });
    const connectors = Array.from({ length: 6 }, () => budgetedConnector(targetPool(), budget));
    const { result: plans, peak } = await sampled(() => Promise.all(connectors.map((c) => runExplain(c, prepared))));
    expect(plans.map((p) => parsePlan(p).analyzed)).toEqual([true, true, true, true, true, true]);
    // Without the budget all six run at once (six sessions); with it, two at a time at most.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(2);
    await until("every slot given back", () => budget.inUse() === 0);
    // Closed after use, not kept idle on a slot nobody holds.
    expect(await openSessions()).toBe(0);
  });

  it("collection's idle connection gives its slot to a waiting action", async () => {
    const budget = createSemaphore(1);
    let reclaimed = 0;
    const collection = await budget.acquire({
      reclaim: () => {
        reclaimed++;
        collection();
      },
    });
    const client = await budgetedConnector(targetPool(), budget, 1_000).connect();
    expect(reclaimed).toBe(1);
    expect(budget.inUse()).toBe(1);
    client.release();
    await until("the slot given back", () => budget.inUse() === 0);
  });

  it("gives its slot back only once the session is gone from the server, not when its close is asked", async () => {
    const budget = createSemaphore(1);
    const client = await budgetedConnector(targetPool(), budget).connect();
    const pid = Number((await client.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
    const events: string[] = [];
    client.once("end", () => events.push("socket closed"));
    client.release();
    // The next connection of this server gets the slot: by then the old backend has exited.
    const next = await budget.acquire();
    events.push("slot granted");
    const listed = (await watcher.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1", [pid])).rows[0].n;
    next();
    expect(events).toEqual(["socket closed", "slot granted"]);
    expect(listed).toBe(0);
  });

  it("a spent budget answers 503 busy after the wait, for EXPLAIN and for a session action, and leaves no waiter", async () => {
    const budget = createSemaphore(2);
    // Two collection runs in flight: slots that are not idle, so nothing reclaims them.
    const held = [await budget.acquire(), await budget.acquire()];
    const connector = budgetedConnector(targetPool(), budget, 300);
    const prepared = await prepareExplain({ text: "SELECT 1", analyze: false, serverVersionNum: 170000 });
    for (const attempt of [runExplain(connector, prepared), signalBackend(connector, 1, "cancel")]) {
      const e = await attempt.then(() => null, (x: unknown) => x);
      expect(isDomainError(e) && { status: e.status, code: e.code }).toEqual({ status: 503, code: "busy" });
      expect((e as Error).message).toMatch(/collection\.connectionsPerServer/);
    }
    expect(budget.waiting()).toBe(0);
    expect(await openSessions()).toBe(0);
    // Once collection is done, the same request goes through.
    held.forEach((free) => free());
    const plan = await runExplain(connector, prepared);
    expect(parsePlan(plan).analyzed).toBe(false);
  });

  it("a cancel gets the next free slot ahead of the collection runs queued before it, which run after it", async () => {
    const limits = createCollectionLimits({ connectionsPerServer: 2, concurrentRuns: 16 });
    const budget = limits.server("one-server");
    const targets: LanePools[] = Array.from({ length: 4 }, () => createLanePools({ url: db.url, limits: { server: budget, global: limits.global } }));
    const [a, b, c, d] = targets;
    const victim = new pg.Client({ connectionString: db.url, application_name: "runaway" });
    await victim.connect();
    try {
      // Two collection runs hold the whole budget (their connections busy) until let go.
      const gates = [gate(), gate()];
      const holding = [a, b].map((t, i) =>
        t.run("live", async (pool) => {
          await pool.query("/* pgpulse */ SELECT 1");
          await gates[i].opened;
        }),
      );
      await until("the budget held by collection", () => budget.inUse() === 2);
      const order: string[] = [];
      const queued = [c, d].map((t, i) =>
        t.run("live", async (pool) => {
          order.push(`collect ${"cd"[i]}`);
          await pool.query("/* pgpulse */ SELECT count(*) FROM pg_stat_activity");
        }),
      );
      await until("two runs queued", () => budget.waiting() === 2);

      const pid = Number((await victim.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
      const runaway = victim.query("SELECT pg_sleep(60)").then(() => "finished", (e: { code?: string }) => e.code);
      await until("the runaway query running", async () => (await watcher.query("SELECT state FROM pg_stat_activity WHERE pid = $1", [pid])).rows[0]?.state === "active");
      // The cancel's connection, noted when the budget lets it open.
      const connector = budgetedConnector(targetPool(), budget);
      const noted: ActionConnector = { connect: () => connector.connect().then((client) => (order.push("cancel"), client)) };
      const cancelling = signalBackend(noted, pid, "cancel");
      await until("the cancel queued", () => budget.waiting() === 3);

      // One slot frees up: the cancel takes it, though both runs asked first.
      gates[0].open();
      const outcome = await cancelling;
      expect(outcome).toMatchObject({ kind: "done", ok: true, outcome: "ended" });
      expect(await runaway).toBe("57014");
      // Collection is not starved: with no request waiting, the queued runs take the slots in order.
      gates[1].open();
      await Promise.all([...holding, ...queued]);
      expect(order).toEqual(["cancel", "collect c", "collect d"]);
      expect(budget.waiting()).toBe(0);
    } finally {
      await victim.end();
      await Promise.all(targets.map((t) => t.end()));
    }
  });
});

/** A promise the test opens when it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
