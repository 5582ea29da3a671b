import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_CALLS } from "@/lib/analysis/sql-calls";
import { parsePlan } from "@/lib/analysis/explain-plan";
import { SUPPORTED_MAJORS } from "@/test/db";
import { createExplainTarget, eventually, type ExplainTarget } from "@/test/explain-target";
import { runExplain } from "./explain";

// The reproduced escapes from EXPLAIN ANALYZE's read-only box, on every supported major: SQL
// run through a function that takes SQL text (ts_stat), backend termination, writes through
// dblink (its own session, not read-only) hidden in user functions, operators, casts, views and
// policies, and session state left on the action connection.

// dblink opens its own session, where the target's default (read-write) applies.
const setup = (url: string) => {
  const remote = `${url}?options=-c%20default_transaction_read_only%3Doff`.replace(/'/g, "''");
  const purge = `dblink_exec('${remote}', 'DELETE FROM victims WHERE id = 1')`;
  return `
    CREATE EXTENSION dblink;
    CREATE TABLE victims (id int PRIMARY KEY); INSERT INTO victims VALUES (1);
    CREATE TABLE users (id int PRIMARY KEY, email text); INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 100) g;
    CREATE FUNCTION purge_victim() RETURNS text LANGUAGE sql AS $$ SELECT ${purge} $$;
    -- Labelled STABLE, yet calls a volatile function: nothing in PostgreSQL stops it.
    CREATE FUNCTION sneaky() RETURNS int STABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM ${purge}; RETURN 1; END $$;
    CREATE FUNCTION evil_eq(int, int) RETURNS bool LANGUAGE sql AS $$ SELECT ${purge} IS NOT NULL $$;
    CREATE OPERATOR === (leftarg = int, rightarg = int, function = evil_eq);
    CREATE TYPE mood AS ENUM ('ok');
    CREATE FUNCTION to_mood(text) RETURNS mood LANGUAGE sql AS $$ SELECT ${purge}; SELECT 'ok'::mood $$;
    CREATE CAST (text AS mood) WITH FUNCTION to_mood(text);
    CREATE FUNCTION purge_step(int, int) RETURNS int LANGUAGE sql AS $$ SELECT ${purge}; SELECT 1 $$;
    CREATE AGGREGATE purge_agg(int) (sfunc = purge_step, stype = int);
    CREATE VIEW locker AS SELECT pg_advisory_lock(4343)::text AS x;
    CREATE VIEW over_locker AS SELECT * FROM locker;
    CREATE TABLE guarded (id int); ALTER TABLE guarded ENABLE ROW LEVEL SECURITY;
    CREATE POLICY p ON guarded USING (sneaky() = 1);`;
};

describe.each(SUPPORTED_MAJORS)("EXPLAIN ANALYZE escapes on PostgreSQL %i", (major) => {
  let t: ExplainTarget;
  let victim: pg.Client;

  beforeAll(async () => {
    t = await createExplainTarget(major, setup);
    // Stands for a collector session of pgpulse's on the target.
    victim = new pg.Client({ connectionString: t.db.url, application_name: "pgpulse" });
    await victim.connect();
  });
  afterAll(async () => {
    await victim?.end().catch(() => {});
    await t?.close();
  });

  const victimsLeft = async () => Number((await t.admin.query("SELECT count(*) FROM victims")).rows[0].count);

  it("refuses SQL text run by ts_stat, naming it, and no advisory lock survives", async () => {
    const e = await t.refused({ query: "select * from ts_stat($$select pg_advisory_lock(42)::text$$)", analyze: true });
    expect(await t.advisoryLocks(42)).toBe(0);
    const held = await t.admin.query(
      "SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND a.application_name = 'pgpulse-action'",
    );
    expect(held.rows[0].n).toBe(0);
    expect(e).toMatchObject({ status: 400, code: "function_not_allowed" });
    expect(e.message).toMatch(/^ts_stat runs SQL given to it as text/);
  });

  it("refuses pg_terminate_backend, direct or inside ts_stat, and the session lives", async () => {
    const direct = "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'pgpulse' and datname = current_database()";
    const e = await t.refused({ query: direct, analyze: true });
    const wrapped = await t.refused({ query: `select * from ts_stat($q$${direct.replace("pid)", "pid)::text")}$q$)`, analyze: true });
    expect((await victim.query("SELECT 1 AS ok")).rows[0].ok).toBe(1);
    expect(e).toMatchObject({ status: 400, code: "function_not_allowed" });
    expect(e.message).toMatch(/^pg_terminate_backend is volatile: EXPLAIN ANALYZE would run it/);
    expect(wrapped.message).toMatch(/^ts_stat runs SQL/);
  });

  it.each([
    ["dblink_exec, direct", "select dblink_exec('dbname=x', 'delete from victims')", /^public\.dblink_exec is volatile/],
    ["a volatile SQL function that writes through dblink", "select purge_victim()", /^public\.purge_victim is volatile/],
    ["a STABLE plpgsql function that calls a volatile one", "select sneaky()", /^public\.sneaky is a plpgsql function created on the target, which PostgreSQL does not hold to its STABLE label/],
    ["an operator backed by such a function", "select 1 === 1", /^operator === \(public\.evil_eq\) is volatile/],
    ["a cast backed by one", "select 'ok'::text::mood", /^the cast to mood \(public\.to_mood\) is volatile/],
    // CREATE AGGREGATE labels every aggregate IMMUTABLE, whatever its steps do.
    ["an aggregate whose step is one", "select purge_agg(id) from users", /^aggregate purge_agg \(public\.purge_step\) is volatile/],
    ["a row-level policy that calls one", "select * from guarded", /^public\.sneaky in a row-level security policy on guarded is a plpgsql function/],
  ])("refuses %s, and the row is still there", async (_name, query, message) => {
    // Each case on its own: a write that got through in an earlier case must not mask this one.
    await t.admin.query("INSERT INTO victims VALUES (1) ON CONFLICT DO NOTHING");
    const e = await t.refused({ query, analyze: true }).catch((x: Error) => x);
    expect(await victimsLeft()).toBe(1);
    expect(e).toMatchObject({ status: 400, code: "function_not_allowed" });
    expect(e.message).toMatch(message);
  });

  it("refuses a view's volatile function for ANALYZE, and a stable SQL runner even for plain EXPLAIN", async () => {
    const view = await t.refused({ query: "select * from locker", analyze: true }).catch((x: Error) => x);
    const nested = await t.refused({ query: "select * from over_locker", analyze: true }).catch((x: Error) => x);
    // The planner evaluates stable functions to estimate selectivity: table_to_xml would run the view.
    const plain = await t.refused({ query: "select * from users where email < table_to_xml('locker', true, false, '')::text", analyze: false }).catch((x: Error) => x);
    expect(await t.advisoryLocks(4343)).toBe(0);
    expect(view.message).toMatch(/^pg_advisory_lock in view locker is volatile/);
    expect(nested.message).toMatch(/^pg_advisory_lock in view locker is volatile/);
    expect(plain).toMatchObject({ status: 400, code: "function_not_allowed" });
    expect(plain.message).toMatch(/^table_to_xml runs SQL built at run time, and the planner may run it/);
  });

  it("pg_sleep: plain EXPLAIN shows its plan at once, ANALYZE is refused by name", async () => {
    const started = Date.now();
    const plain = await t.explain({ query: "select pg_sleep(2)", analyze: false });
    expect(parsePlan(plain.plan).analyzed).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_500);
    const e = await t.refused({ query: "select pg_sleep(2)", analyze: true });
    expect(e).toMatchObject({ status: 400, code: "function_not_allowed" });
    expect(e.message).toBe("pg_sleep is volatile: EXPLAIN ANALYZE would run it; plain EXPLAIN shows the plan without running it");
  });

  it("refuses row locks for ANALYZE", async () => {
    const e = await t.refused({ query: "select * from (select * from victims for update) v", analyze: true });
    expect(e).toMatchObject({ status: 400, code: "not_single_select" });
  });

  it("closes the action connection after each EXPLAIN: what slipped through dies with it", async () => {
    // As if a function had passed the rule: the run step alone, with nothing to vet.
    const slipped = { sql: "EXPLAIN (FORMAT JSON, ANALYZE) SELECT pg_advisory_lock(4242), set_config('work_mem', '1MB', false)", values: [], generic: false, analyze: true, calls: NO_CALLS };
    await runExplain(t.actionPool, slipped);
    expect(await eventually(() => t.advisoryLocks(4242), (n) => n === 0)).toBe(0);
    const left = () => t.admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pgpulse-action' AND datname = current_database()");
    expect(await eventually(async () => (await left()).rows[0].n, (n) => n === 0)).toBe(0);
    // The pool opens a fresh session for the next one.
    expect(parsePlan(await runExplain(t.actionPool, { ...slipped, sql: "EXPLAIN (FORMAT JSON, ANALYZE) SELECT current_setting('work_mem')" })).analyzed).toBe(true);
  });
});
