import pg from "pg";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Capabilities } from "@/lib/collector/types";
import { createTargetPool } from "@/lib/db/pool";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { defineMetric } from "./define";
import { runMetric } from "./run";

// A run is one statement: the statement timeout is the connection's (a startup parameter), and
// changes only when a run needs another value. Counted by pg_stat_statements on a real server.

const caps = { serverVersionNum: 170000, extensions: {}, objects: {}, roles: [], isSuperuser: true } as unknown as Capabilities;

/** A metric reading one column named by its id. */
const metric = (id: string, timeoutMs: number, expr = "1", row: z.ZodType<Record<string, unknown>> = z.object({ [id]: z.unknown() })) =>
  defineMetric({
    id,
    description: id,
    scope: "database",
    lane: "live",
    intervalMs: 1_000,
    timeoutMs,
    sql: { 130000: `/* pgpulse */ SELECT ${expr} AS ${id}` },
    row,
    labels: [],
    counters: [],
    gauges: [],
  });

describe("runMetric's statement timeout", () => {
  let db: TestDatabase;
  let admin: pg.Client;
  let pool: pg.Pool;
  const POOL_TIMEOUT_MS = 5_000;

  beforeAll(async () => {
    db = await createTestDatabase(17, "run");
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query("CREATE EXTENSION pg_stat_statements");
    pool = createTargetPool({ url: db.url, max: 1, statementTimeoutMs: POOL_TIMEOUT_MS });
    // Opens the one connection (and its own-session look-up) before anything is counted.
    await runs([metric("warm_up", POOL_TIMEOUT_MS)]);
  });

  afterAll(async () => {
    await pool?.end();
    await admin?.end();
    await db?.drop();
  });

  /** Calls so far in this database of statements whose (normalised) text matches `like`. */
  const calls = async (like: string) => {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT coalesce(sum(calls), 0)::int AS n FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query LIKE $1`,
      [like],
    );
    return rows[0].n;
  };
  const statements = () => calls("/* pgpulse */%");
  const timeoutChanges = () => calls("/* pgpulse */ SELECT set_config(%");

  async function runs(defs: ReturnType<typeof metric>[]) {
    for (const def of defs) expect(await runMetric(pool, def, caps, "t")).toMatchObject({ status: "ok", rows: [{ [def.id]: 1 }] });
  }

  it("runs at the connection's timeout are one statement each, with no SET", async () => {
    const def = metric("at_pool_timeout", POOL_TIMEOUT_MS);
    const [stmts, changes] = [await statements(), await timeoutChanges()];
    await runs(Array(20).fill(def));
    expect((await statements()) - stmts).toBe(20);
    expect((await timeoutChanges()) - changes).toBe(0);
  });

  it("a run that needs another timeout sets it once; the runs after it keep it", async () => {
    const def = metric("shorter", 2_000);
    const [stmts, changes] = [await statements(), await timeoutChanges()];
    await runs(Array(20).fill(def));
    expect((await statements()) - stmts).toBe(21);
    expect((await timeoutChanges()) - changes).toBe(1);
  });

  it("alternating timeouts change the setting on each change only", async () => {
    const a = metric("alt_a", 3_000);
    const b = metric("alt_b", 4_000);
    const before = await timeoutChanges();
    await runs([a, a, b, b, a, a, b, b]);
    expect((await timeoutChanges()) - before).toBe(4);
  });

  it("the timeout still holds: past it a statement fails with 57014, and a longer one is restored", async () => {
    const short = metric("sleeps_short", 300, "pg_sleep(1)::text");
    const long = metric("sleeps_long", 5_000, "pg_sleep(0.6)::text");
    expect(await runMetric(pool, short, caps, "t")).toMatchObject({ status: "error", code: "57014" });
    expect(await runMetric(pool, long, caps, "t")).toMatchObject({ status: "ok" });
    expect(await runMetric(pool, short, caps, "t")).toMatchObject({ status: "error", code: "57014" });
  });

  it("a row of the wrong shape fails the run and names the metric", async () => {
    const def = metric("bad_shape", POOL_TIMEOUT_MS, "1", z.object({ missing: z.number() }));
    expect(await runMetric(pool, def, caps, "t")).toMatchObject({ status: "error", error: expect.stringMatching(/^bad_shape: row 0 column missing: /) });
  });
});
