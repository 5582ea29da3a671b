import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStorePool } from "@/lib/db/pool";
import { inTransaction } from "@/lib/db/transaction";
import { createStore } from "@/lib/store/index";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { acquire, confirmLeases, readFleet, release, renew } from "./lease-store";

// The lease table's rules on a real store: one holder per target, a takeover only after expiry
// (by the store's clock) with a new epoch, and the fence that alert writes check.

const a = { id: "a", name: "node-a" };
const b = { id: "b", name: "node-b" };
let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase(17, "leases");
  const store = createStore({ url: db.url });
  await store.migrate();
  await store.close();
  pool = createStorePool(db.url, 4);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe("lease rows", () => {
  it("one holder at a time; taken over only after expiry, with the next epoch", async () => {
    expect(await acquire(pool, a, 300, ["t1"])).toEqual(new Map([["t1", 1]]));
    expect(await acquire(pool, b, 300, ["t1"])).toEqual(new Map());
    expect(await renew(pool, a, 300, new Map([["t1", 1]]))).toEqual(new Map([["t1", 1]]));
    await new Promise((r) => setTimeout(r, 350));
    expect((await readFleet(pool)).leases.find((l) => l.target_id === "t1")?.live).toBe(false);
    expect(await acquire(pool, b, 300, ["t1"])).toEqual(new Map([["t1", 2]]));
    // The old holder's renewal finds nothing: it learns the target was taken.
    expect(await renew(pool, a, 300, new Map([["t1", 1]]))).toEqual(new Map());
  });

  it("takes a batch in one statement: free and expired targets, not those another holds live", async () => {
    expect(await acquire(pool, a, 60_000, ["b1", "b2"])).toEqual(new Map([["b1", 1], ["b2", 1]]));
    expect(await acquire(pool, b, 300, ["b3"])).toEqual(new Map([["b3", 1]]));
    await new Promise((r) => setTimeout(r, 350));
    expect(await acquire(pool, b, 60_000, ["b4", "b2", "b3", "b1"])).toEqual(new Map([["b3", 2], ["b4", 1]]));
  });

  it("a release frees the target at once", async () => {
    expect(await acquire(pool, a, 60_000, ["t2"])).toEqual(new Map([["t2", 1]]));
    await release(pool, a, ["t2"]);
    expect(await acquire(pool, b, 60_000, ["t2"])).toEqual(new Map([["t2", 2]]));
  });

  it("the fence confirms only the current holder and epoch, and holds a takeover until commit", async () => {
    expect(await acquire(pool, a, 200, ["t3"])).toEqual(new Map([["t3", 1]]));
    const stale = { targetId: "t3", holder: "a", epoch: 1 };
    let takenAt = 0;
    let committedAt = 0;
    let takeover: Promise<void> = Promise.resolve();
    await inTransaction(pool, async (client) => {
      expect(await confirmLeases(client, [stale])).toEqual(new Set(["t3"]));
      await new Promise((r) => setTimeout(r, 250)); // the lease expires while we hold the row
      takeover = (async () => {
        expect(await acquire(pool, b, 60_000, ["t3"])).toEqual(new Map([["t3", 2]]));
        takenAt = Date.now();
      })();
      await new Promise((r) => setTimeout(r, 200));
      expect(takenAt).toBe(0); // blocked by FOR SHARE
      committedAt = Date.now();
    });
    await takeover;
    expect(takenAt).toBeGreaterThanOrEqual(committedAt);
    const client = await pool.connect();
    try {
      expect(await confirmLeases(client, [stale])).toEqual(new Set());
      expect(await confirmLeases(client, [{ targetId: "t3", holder: "b", epoch: 2 }])).toEqual(new Set(["t3"]));
    } finally {
      client.release();
    }
  });
});
