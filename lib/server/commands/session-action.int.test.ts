import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTargetPool } from "@/lib/db/pool";
import { createTestDatabase, urlAs, type TestDatabase } from "@/test/db";
import { signalBackend } from "./session-action";
import { until } from "@/test/support/wait";

// pg_cancel_backend / pg_terminate_backend through a read-only action pool, as a role without
// superuser: the missing grant, pgpulse's own sessions, a gone pid, a real cancel and terminate
// with the time they took to show, a statement that traps the cancel and an idle session.

describe("signalBackend", () => {
  let db: TestDatabase;
  let admin: pg.Client;
  let role: string;
  const pools: pg.Pool[] = [];
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(17, "signal");
    role = `sig_${db.name}`;
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw'; CREATE ROLE ${role}_app LOGIN PASSWORD 'pw';`);
    // A statement that ignores cancels: PL/pgSQL may trap query_canceled and carry on (a real
    // pattern in retry loops); only a terminate ends it.
    await admin.query(`CREATE FUNCTION stubborn_sleep() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        FOR i IN 1..300 LOOP
          BEGIN PERFORM pg_sleep(0.1); EXCEPTION WHEN query_canceled THEN NULL; END;
        END LOOP;
      END $$`);
  });

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    for (const p of pools) await p.end().catch(() => {});
    await admin?.query(`DROP ROLE IF EXISTS ${role}; DROP ROLE IF EXISTS ${role}_app;`).catch(() => {});
    await admin?.end();
    await db?.drop();
  });

  const as = (user: string) => urlAs(db.url, user, "pw");
  const actionPool = () => {
    const p = createTargetPool({ url: as(role), max: 1, applicationName: "pgpulse-action" });
    pools.push(p);
    return p;
  };
  const sleeper = async (applicationName = "app", sql = "SELECT pg_sleep(30)") => {
    const c = new pg.Client({ connectionString: as(`${role}_app`), application_name: applicationName });
    // A terminated backend's client emits 'error': expected here, not a failure of the test.
    c.on("error", () => {});
    await c.connect();
    clients.push(c);
    const pid = Number((await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
    const running = c.query(sql).then(() => null, (e: { code?: string }) => e.code ?? "error");
    await until("the query running", async () => (await admin.query("SELECT state FROM pg_stat_activity WHERE pid = $1", [pid])).rows[0]?.state === "active");
    return { pid, running };
  };

  it("without pg_signal_backend: 403-worthy, naming the grant", async () => {
    const { pid } = await sleeper();
    const r = await signalBackend(actionPool(), pid, "cancel");
    expect(r.kind).toBe("forbidden");
    expect(r.kind === "forbidden" && r.message).toMatch(/pg_signal_backend/);
  });

  it("with the grant: cancels the running query (57014 for its client)", async () => {
    await admin.query(`GRANT pg_signal_backend TO ${role}`);
    // Signalled, but without pg_read_all_stats the session's state reads NULL: no guess.
    const unseen = await sleeper();
    expect(await signalBackend(actionPool(), unseen.pid, "cancel")).toEqual({ kind: "done", ok: true, outcome: "unseen", afterMs: null, watchedMs: 0, stateAfter: null });
    expect(await unseen.running).toBe("57014");
    // As the setup grants it (pg_monitor includes pg_read_all_stats).
    await admin.query(`GRANT pg_read_all_stats TO ${role}`);
    const { pid, running } = await sleeper();
    const r = await signalBackend(actionPool(), pid, "cancel");
    // The statement ended, the session stayed: idle again, seen within the watch.
    expect(r).toMatchObject({ kind: "done", ok: true, outcome: "ended", stateAfter: "idle", watchedMs: 2000 });
    expect(r.kind === "done" && r.ok && r.afterMs).toBeGreaterThanOrEqual(0);
    expect(r.kind === "done" && r.ok && r.afterMs).toBeLessThan(2000);
    expect(await running).toBe("57014");
  });

  it("a statement that traps the cancel is reported still running after the watch; terminate ends it", async () => {
    const { pid, running } = await sleeper("app", "SELECT stubborn_sleep()");
    const started = Date.now();
    const r = await signalBackend(actionPool(), pid, "cancel", 800);
    expect(r).toEqual({ kind: "done", ok: true, outcome: "still_running", afterMs: null, watchedMs: 800, stateAfter: "active" });
    // Bounded: the answer waited about the watch, not for the statement.
    expect(Date.now() - started).toBeLessThan(3000);
    const t = await signalBackend(actionPool(), pid, "terminate");
    expect(t).toMatchObject({ kind: "done", ok: true, outcome: "ended", stateAfter: null });
    expect(await running).toBe("57P01");
  });

  it("cancelling an idle-in-transaction session says no statement was running", async () => {
    const c = new pg.Client({ connectionString: as(`${role}_app`) });
    c.on("error", () => {});
    await c.connect();
    clients.push(c);
    await c.query("BEGIN");
    await c.query("SELECT 1");
    const pid = Number((await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
    await until("the session idle in transaction", async () => (await admin.query("SELECT state FROM pg_stat_activity WHERE pid = $1", [pid])).rows[0]?.state === "idle in transaction");
    expect(await signalBackend(actionPool(), pid, "cancel")).toEqual({ kind: "done", ok: true, outcome: "not_running", afterMs: null, watchedMs: 0, stateAfter: "idle in transaction" });
    // The transaction is untouched: the session can go on.
    expect((await c.query("SELECT 2 AS two")).rows[0].two).toBe(2);
  });

  it("refuses pgpulse's own sessions, known by pid whatever their name, and answers ok=false for a gone pid", async () => {
    // Ours: a connection of one of pgpulse's pools, here under a name that says nothing.
    const ours = createTargetPool({ url: as(`${role}_app`), max: 1, applicationName: "app" });
    pools.push(ours);
    const ownPid = Number((await ours.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
    expect(await signalBackend(actionPool(), ownPid, "terminate")).toMatchObject({ kind: "own", ok: false });
    const still = await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [ownPid]);
    expect(still.rowCount).toBe(1);
    expect(await signalBackend(actionPool(), 2_000_000_000, "terminate")).toEqual({ kind: "done", ok: false });
  });

  it("terminates a session that only calls itself pgpulse", async () => {
    const { pid, running } = await sleeper("pgpulse");
    expect(await signalBackend(actionPool(), pid, "terminate")).toMatchObject({ kind: "done", ok: true, outcome: "ended" });
    expect(await running).toBe("57P01");
  });

  it("terminates a backend and answers once it is gone, with how long that took", async () => {
    const { pid, running } = await sleeper();
    const r = await signalBackend(actionPool(), pid, "terminate");
    expect(r).toMatchObject({ kind: "done", ok: true, outcome: "ended", stateAfter: null });
    const afterMs = r.kind === "done" && r.ok ? r.afterMs : null;
    expect(afterMs).toBeGreaterThanOrEqual(0);
    expect(afterMs).toBeLessThan(2000);
    // "Ended" was true when answered: the pid is already gone, no waiting needed here.
    expect((await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).rowCount).toBe(0);
    expect(await running).toBe("57P01");
    console.log(`terminate: session gone ${afterMs} ms after the signal`);
  });
});
