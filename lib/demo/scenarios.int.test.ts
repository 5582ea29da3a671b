import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { connect, holdIdleTransaction, holdLongTransaction, runCacheBloat, runSlowStatement, startLockChain } from "./scenarios";
import { applySchema, seedDemoData } from "./seed";

// Each alert condition, produced for real on a small seed.

let db: TestDatabase;
let c: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase(17, "demo_scen");
  c = await connect(db.url, "test");
  await applySchema(c);
  await seedDemoData(c, { scale: 0.01 });
  await c.query(`CREATE EXTENSION IF NOT EXISTS pgstattuple`);
});

afterAll(async () => {
  await c?.end();
  await db?.drop();
});

const session = async (pid: number) =>
  (await c.query(`SELECT state, backend_xid, backend_xmin, application_name FROM pg_stat_activity WHERE pid = $1`, [pid])).rows[0];

describe("demo scenarios", () => {
  it("a slow statement is recorded in slow_query_log with its duration", async () => {
    const ms = await runSlowStatement(c, 3, 1.2);
    expect(ms).toBeGreaterThan(1_000);
    const r = await c.query(`SELECT query_text, extract(epoch FROM execution_time)::float8 AS s FROM slow_query_log`);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].s).toBeGreaterThan(1.2);
    expect(r.rows[0].s).toBeLessThan(ms / 1000 + 0.01);
    expect(r.rows[0].query_text).toContain("pg_sleep($2::double precision)");
  });

  it("the cache purge leaves the cache_key index over 10 MB and over 30 % bloated after VACUUM", async () => {
    const r = await runCacheBloat(c, 200_000);
    expect(r.indexBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(r.bloatPct).toBeGreaterThan(30);
    // Independently of the helper: the leaf density itself, and two in three burst rows gone.
    const s = await c.query(`SELECT avg_leaf_density::float8 AS d FROM pgstatindex('query_cache_pkey')`);
    expect(s.rows[0].d).toBeLessThan(63);
    const live = await c.query(`SELECT count(*)::int AS n FROM query_cache WHERE cache_key LIKE 'horoscope:%'`);
    expect(live.rows[0].n).toBeGreaterThan(60_000);
    expect(live.rows[0].n).toBeLessThan(70_000);
  });

  it("a chain of lock waits A ← B ← C shows in pg_blocking_pids", async () => {
    const chain = await startLockChain(db.url);
    try {
      const b = await c.query(`SELECT pg_blocking_pids($1) AS p`, [chain.pids.b]);
      const cc = await c.query(`SELECT pg_blocking_pids($1) AS p`, [chain.pids.c]);
      expect(b.rows[0].p).toEqual([chain.pids.a]);
      expect(cc.rows[0].p).toEqual([chain.pids.b]);
      expect((await session(chain.pids.a)).state).toBe("idle in transaction");
      expect((await session(chain.pids.c)).application_name).toBe("kundli-app");
    } finally {
      await chain.release();
    }
    const waiting = await c.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`);
    expect(waiting.rows[0].n).toBe(0);
  });

  it("idle and long transactions hold neither an xid nor a snapshot", async () => {
    const idle = await holdIdleTransaction(db.url, 5);
    const long = await holdLongTransaction(db.url, 100);
    try {
      await new Promise((r) => setTimeout(r, 350));
      for (const pid of [idle.pid, long.pid]) {
        const s = await session(pid);
        expect(s.state).toBe("idle in transaction");
        expect(s.backend_xid).toBeNull();
        expect(s.backend_xmin).toBeNull();
      }
    } finally {
      await idle.release();
      await long.release();
    }
    // The backend leaves pg_stat_activity shortly after the client disconnects.
    for (let i = 0; i < 40 && (await session(idle.pid)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await session(idle.pid)).toBeUndefined();
  });
});
