import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStorePool } from "@/lib/db/pool";
import { createStore } from "@/lib/store/index";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { until } from "@/test/support/wait";
import { createLeaseManager, type LeaseManager } from "./leases";

// Three lease managers on one real store, started together over 200 targets (issue 16): they
// split the targets evenly within a few ticks, then move no lease, and no target is ever
// served by two of them at once.

const TTL_MS = 2_000;
const TICK_MS = TTL_MS / 4;
const TARGETS = Array.from({ length: 200 }, (_, i) => `t${String(i).padStart(3, "0")}`);
const silent = { info() {}, warn() {} };

let db: TestDatabase;
let read: pg.Pool;
const pools: pg.Pool[] = [];
const managers: LeaseManager[] = [];

beforeAll(async () => {
  db = await createTestDatabase(17, "leasemgr");
  const store = createStore({ url: db.url });
  await store.migrate();
  await store.close();
  read = createStorePool(db.url, 2);
});
afterAll(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  await Promise.all([...pools, read].map((p) => p?.end()));
  await db?.drop();
});

describe("lease managers started together", () => {
  it("split 200 targets evenly within a few ticks, then hold still, take in a newcomer in a few ticks, never serving a target twice", async () => {
    const serving = new Map<string, string>();
    const overlaps: string[] = [];
    let changes = 0;
    const names: string[] = [];
    // Targets each manager serves (started, not merely leased).
    const counts = () => names.map((n) => [...serving.values()].filter((s) => s === n).length);
    const addManager = (name: string): LeaseManager => {
      names.push(name);
      // One connection each, as in production: renewals and acquisitions share it.
      const pool = createStorePool(db.url, 1, TTL_MS / 2);
      pools.push(pool);
      const m = createLeaseManager({
        pool,
        me: { id: `${name}-${Math.random().toString(36).slice(2)}`, name },
        targets: () => TARGETS,
        ttlMs: TTL_MS,
        async onAcquire(targetId) {
          // Starting a target reads the store, as loading its open alert episodes does.
          await read.query(`SELECT count(*) FROM pgpulse.leases WHERE target_id = $1`, [targetId]);
          const other = serving.get(targetId);
          if (other !== undefined && other !== name) overlaps.push(`${targetId}: ${other} and ${name}`);
          serving.set(targetId, name);
        },
        async onLose(targetId) {
          if (serving.get(targetId) === name) serving.delete(targetId);
        },
        onChange: () => void changes++,
        log: silent,
      });
      managers.push(m);
      return m;
    };

    await Promise.all(["a", "b", "c"].map((n) => addManager(n).start()));

    const even = () => {
      const c = counts();
      return c.reduce((s, n) => s + n, 0) === TARGETS.length && Math.max(...c) - Math.min(...c) <= 1;
    };
    // A few ticks: ten of them, against minutes when a join moved one target per tick.
    await until("an even split", even, 10 * TICK_MS, 50);

    // Several TTLs after convergence: not one lease changes hands.
    const settled = counts();
    const changesAtConvergence = changes;
    await new Promise((r) => setTimeout(r, 3 * TTL_MS));
    expect(changes - changesAtConvergence).toBe(0);
    expect(counts()).toEqual(settled);
    expect(managers.map((m) => m.held().length)).toEqual(settled);

    // The store agrees: every target leased, live, to the one manager that serves it.
    const rows = (await read.query<{ target_id: string; holder_name: string; live: boolean }>(`SELECT target_id, holder_name, expires_at > now() AS live FROM pgpulse.leases`)).rows;
    expect(rows).toHaveLength(TARGETS.length);
    for (const r of rows) {
      expect(r.live).toBe(true);
      expect(serving.get(r.target_id)).toBe(r.holder_name);
    }

    // A fourth instance joins: the others hand over their excess in batches, not one per tick.
    await addManager("d").start();
    await until("an even split with the newcomer", even, 10 * TICK_MS, 50);
    expect(counts()).toEqual([50, 50, 50, 50]);
    expect(overlaps).toEqual([]);
  });
});
