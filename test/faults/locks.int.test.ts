import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { faultConfig, longestGap, spyResults, startFaultPgpulse, until, type SeenResult } from "./support";

// Fault 4: ACCESS EXCLUSIVE locks on a table pgpulse sizes. Held for 6 s (far past the
// monitoring session's 1 s lock_timeout; the minute scaled down), the size queries skip
// the locked table or give up at lock_timeout, stat_activity keeps its cadence; and while
// locks come and go, the application never waits on pgpulse and the locker at most for one
// short pgpulse statement.

const LOCK_TIMEOUT_MS = 1_000; // createTargetPool's default
const HOLD_MS = 6_000;

let target: TestDatabase;
let storeDb: TestDatabase;
let rt: Pgpulse;
let seen: SeenResult[];
const clients: pg.Client[] = [];

async function client(name: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: target.url, application_name: name });
  c.on("error", () => {});
  await c.connect();
  clients.push(c);
  return c;
}

beforeAll(async () => {
  [target, storeDb] = await Promise.all([createTestDatabase(17, "fault_lock_target"), createTestDatabase(17, "fault_lock_store")]);
  const setup = await client("setup");
  await setup.query("CREATE TABLE birth_charts (id int primary key, user_id int, payload text); CREATE INDEX ON birth_charts (user_id); INSERT INTO birth_charts SELECT g, g % 100, repeat('x', 200) FROM generate_series(1, 20000) g; ANALYZE birth_charts");
  await setup.query("CREATE TABLE users (id int primary key)");
  rt = await startFaultPgpulse({
    config: faultConfig({ targets: [{ id: "t", name: "Target", url: target.url }] }),
    storeUrl: storeDb.url,
    intervals: { server: 1_000, stat_activity: 500, connections: 1_000, db_stats: 1_000, db_size: 1_000, index_stats: 700, table_stats: 700, index_bloat: 1_000, slow_queries: 1_000 },
  });
  seen = spyResults(rt, true);
});

afterAll(async () => {
  await rt?.stop();
  await Promise.allSettled(clients.map((c) => c.end()));
  await Promise.allSettled([target?.drop(), storeDb?.drop()]);
});

const pgpulsePids = async (c: pg.Client) =>
  (await c.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'pgpulse' AND datname = current_database()")).rows.map((r) => r.pid);

describe("locks held on a table pgpulse sizes", () => {
  it("an ACCESS EXCLUSIVE lock held past lock_timeout: sizes skip it, stat_activity keeps its cadence", async () => {
    await until("table_stats collected", () => seen.some((s) => s.metric === "table_stats" && s.status === "ok"), 15_000);
    const holder = await client("holder");
    await holder.query("BEGIN");
    await holder.query("LOCK TABLE birth_charts IN ACCESS EXCLUSIVE MODE");
    const lockedAt = Date.now();
    await until(`the lock held for ${HOLD_MS} ms`, () => Date.now() > lockedAt + HOLD_MS, HOLD_MS + 2_000);
    const releasedAt = Date.now();
    await holder.query("COMMIT");

    const during = seen.filter((s) => s.at > lockedAt + 200 && s.at <= releasedAt);
    for (const metric of ["table_stats", "index_stats"]) {
      const runs = during.filter((s) => s.metric === metric);
      expect(runs.length, metric).toBeGreaterThanOrEqual(3);
      for (const r of runs) {
        // Never waited on the lock beyond lock_timeout (a size function that waits is cancelled).
        expect(r.durationMs!, metric).toBeLessThan(LOCK_TIMEOUT_MS + 500);
        if (r.status === "error") expect(r.error, metric).toMatch(/lock timeout/i);
      }
    }
    // table_stats says the locked table could not be sized; the others are sized.
    const ts = during.filter((s) => s.metric === "table_stats" && s.status === "ok").at(-1)!;
    const row = (name: string) => ts.rows!.find((r) => r.relname === name)!;
    expect(row("birth_charts")).toMatchObject({ size_unavailable: "locked", total_bytes: null });
    expect(row("users").size_unavailable).toBeNull();
    expect(row("users").total_bytes).toBeGreaterThan(0);
    expect(longestGap(seen, "t", "stat_activity", lockedAt, releasedAt)).toBeLessThan(1_500);
    expect(rt.health().targets[0].up).toBe(true);
    // Sized again once the lock is gone.
    await until("birth_charts sized again", () =>
      seen.some((s) => s.metric === "table_stats" && s.status === "ok" && s.ts > releasedAt && (s.rows!.find((r) => r.relname === "birth_charts")?.total_bytes as number) > 0),
    );
  }, 30_000);

  it("locks coming and going: the application never waits on pgpulse; the locker only for a statement's length", async () => {
    const locker = await client("locker");
    const app = await client("app");
    const watch = await client("watch");
    const appBlockers = new Set<number>();
    const lockerBlockers = new Set<number>();
    const ours = new Set<number>();
    const lockWaits: number[] = [];
    let done = false;
    const churn = (async () => {
      while (!done) {
        await locker.query("BEGIN");
        const t = performance.now();
        await locker.query("LOCK TABLE birth_charts IN ACCESS EXCLUSIVE MODE");
        lockWaits.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 150));
        await locker.query("COMMIT");
      }
    })();
    const appLoad = (async () => {
      while (!done) await app.query("SELECT count(*) FROM birth_charts WHERE user_id = 7");
    })();
    const start = Date.now();
    let samples = 0;
    while (Date.now() - start < HOLD_MS) {
      for (const p of await pgpulsePids(watch)) ours.add(p);
      const { rows } = await watch.query<{ app: string; b: number }>(
        "SELECT application_name AS app, unnest(pg_blocking_pids(pid)) AS b FROM pg_stat_activity WHERE datname = current_database() AND application_name IN ('locker', 'app')",
      );
      for (const r of rows) (r.app === "app" ? appBlockers : lockerBlockers).add(Number(r.b));
      samples++;
    }
    done = true;
    await Promise.all([churn, appLoad]);
    expect(samples).toBeGreaterThan(20);
    expect(ours.size).toBeGreaterThan(0);
    // The application's own waits are on the locker, never on a pgpulse session.
    expect([...appBlockers].filter((b) => ours.has(b))).toEqual([]);
    // An ACCESS EXCLUSIVE request may find a pgpulse size statement holding its ACCESS SHARE
    // lock (any reader does that); it waits for that one short statement only, never for a
    // queue: pgpulse's own lock requests on a locked table are skipped or give up at lock_timeout.
    expect(Math.max(...lockWaits)).toBeLessThan(LOCK_TIMEOUT_MS);
    console.info(
      `locks: ${lockWaits.length} ACCESS EXCLUSIVE acquisitions, longest wait ${Math.round(Math.max(...lockWaits))} ms; pgpulse seen ahead of the locker: ${[...lockerBlockers].some((b) => ours.has(b))}`,
    );
    // The sizes kept being collected between the locks.
    expect(seen.filter((s) => s.metric === "table_stats" && s.at > start && s.status === "ok").length).toBeGreaterThanOrEqual(3);
  }, 30_000);
});
