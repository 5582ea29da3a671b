import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@/test/db";
import { createSeededDemoDatabase } from "@/test/demo-db";
import { BATCH_APP_NAME, holdIdleTransaction, holdLongTransaction, openConnectionSurge, runCacheBloat, runSlowStatement, startLockChain } from "./scenarios";

// Each alert condition, produced for real on a small seed.

let db: TestDatabase;
let c: pg.Client;

beforeAll(async () => {
  ({ db, client: c } = await createSeededDemoDatabase("demo_scen"));
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

  it("a connection surge opens idle batch connections up to the asked share of usable slots, and releases them", async () => {
    // A tiny share on the shared test server: a few connections above what is open now.
    const { rows } = await c.query<{ usable: number; used: number }>(
      `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int AS usable,
              (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS used`,
    );
    const surge = await openConnectionSurge(db.url, (rows[0].used + 4) / rows[0].usable);
    try {
      expect(surge.opened).toBeGreaterThanOrEqual(1);
      expect(surge.opened).toBeLessThanOrEqual(6);
      const open = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle'`, [BATCH_APP_NAME]);
      expect(open.rows[0].n).toBe(surge.opened);
    } finally {
      await surge.release();
    }
    await new Promise((r) => setTimeout(r, 300));
    const left = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [BATCH_APP_NAME]);
    expect(left.rows[0].n).toBe(0);
  });
});
