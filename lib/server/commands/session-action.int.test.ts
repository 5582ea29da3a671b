import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTargetPool } from "@/lib/db/pool";
import { createTestDatabase, urlAs, type TestDatabase } from "@/test/db";
import { signalBackend } from "./session-action";

// pg_cancel_backend / pg_terminate_backend through a read-only action pool, as a role without
// superuser: the missing grant, pgpulse's own sessions, a gone pid, and a real cancel.

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
  const sleeper = async (applicationName = "app") => {
    const c = new pg.Client({ connectionString: as(`${role}_app`), application_name: applicationName });
    // A terminated backend's client emits 'error': expected here, not a failure of the test.
    c.on("error", () => {});
    await c.connect();
    clients.push(c);
    const pid = Number((await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
    const running = c.query("SELECT pg_sleep(30)").then(() => null, (e: { code?: string }) => e.code ?? "error");
    await waitFor(async () => (await admin.query("SELECT state FROM pg_stat_activity WHERE pid = $1", [pid])).rows[0]?.state === "active");
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
    const { pid, running } = await sleeper();
    expect(await signalBackend(actionPool(), pid, "cancel")).toEqual({ kind: "done", ok: true });
    expect(await running).toBe("57014");
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
    expect(await signalBackend(actionPool(), pid, "terminate")).toEqual({ kind: "done", ok: true });
    expect(await running).toBe("57P01");
  });

  it("terminates a backend", async () => {
    const { pid, running } = await sleeper();
    expect(await signalBackend(actionPool(), pid, "terminate")).toEqual({ kind: "done", ok: true });
    expect(await running).not.toBeNull();
    await waitFor(async () => (await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).rowCount === 0);
  });
});

async function waitFor(pred: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met in time");
}
