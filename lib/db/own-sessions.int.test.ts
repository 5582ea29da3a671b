import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, urlAs, type TestDatabase } from "@/test/db";
import { ownPidsOn } from "./own-sessions";
import { createStorePool, createTargetPool } from "./pool";

// The registry of pgpulse's own backends on real servers: a pid is ours because one of our pools
// opened it, on the same server however it was reached, and only while it lives.

describe("own sessions by backend pid", () => {
  let target: TestDatabase;
  let storeDb: TestDatabase;
  let other: TestDatabase;
  let admin: pg.Client;
  let role: string;
  const pools: pg.Pool[] = [];
  const clients: pg.Client[] = [];
  const closers: Array<() => void> = [];

  beforeAll(async () => {
    target = await createTestDatabase(17, "own");
    storeDb = await createTestDatabase(17, "ownst");
    other = await createTestDatabase(16, "ownx");
    role = `mon_${target.name}`;
    admin = new pg.Client({ connectionString: target.adminUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw' IN ROLE pg_monitor`);
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.end()));
    await Promise.allSettled(pools.map((p) => p.end()));
    for (const close of closers) close();
    await Promise.allSettled([target?.drop(), storeDb?.drop(), other?.drop()]);
    await admin?.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
    await admin?.end();
  });

  const keep = <P extends pg.Pool>(p: P) => (pools.push(p), p);
  const pidOf = async (q: pg.Pool | pg.PoolClient) => Number((await q.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
  /** The set as seen from a connection of `pool`, copied so later changes do not leak in. */
  const ownSeenFrom = async (pool: pg.Pool) => {
    const c = await pool.connect();
    try {
      return new Set(await ownPidsOn(c));
    } finally {
      c.release();
    }
  };

  it("knows the store's sessions on a target that shares its server, across roles, databases and ports", async () => {
    // The monitoring role through a forwarded port, the store as the superuser directly:
    // different addresses, roles and databases, one server.
    const forward = await forwardPort(Number(new URL(target.url).port));
    closers.push(forward.close);
    const forwarded = new URL(urlAs(target.url, role, "pw"));
    forwarded.port = String(forward.port);
    const monitor = keep(createTargetPool({ url: forwarded.toString(), max: 1 }));
    const store = keep(createStorePool(storeDb.url, 1));
    const [monitorPid, storePid] = [await pidOf(monitor), await pidOf(store)];
    const own = await ownSeenFrom(monitor);
    expect(own.has(monitorPid)).toBe(true);
    expect(own.has(storePid)).toBe(true);
  });

  it("does not take a client that calls itself pgpulse, nor another server's pids, for ours", async () => {
    const impostor = new pg.Client({ connectionString: target.url, application_name: "pgpulse" });
    await impostor.connect();
    clients.push(impostor);
    const impostorPid = Number((await impostor.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
    const here = keep(createTargetPool({ url: target.url, max: 1 }));
    const elsewhere = keep(createTargetPool({ url: other.url, max: 1 }));
    const [herePid, elsewherePid] = [await pidOf(here), await pidOf(elsewhere)];

    const ownHere = await ownSeenFrom(here);
    expect(ownHere.has(herePid)).toBe(true);
    expect(ownHere.has(impostorPid)).toBe(false);
    // pid numbers are per server: the other server's connection is ours there, not here.
    expect((await ownSeenFrom(elsewhere)).has(elsewherePid)).toBe(true);
    if (elsewherePid !== herePid) expect(ownHere.has(elsewherePid)).toBe(false);
  });

  it("forgets a terminated connection and records the one that replaces it", async () => {
    const pool = keep(createTargetPool({ url: target.url, max: 1 }));
    const first = await pidOf(pool);
    expect((await ownSeenFrom(pool)).has(first)).toBe(true);
    await admin.query("SELECT pg_terminate_backend($1)", [first]);
    // The pool learns of the death on its idle client, or on the next use: retry once.
    await new Promise((r) => setTimeout(r, 200));
    const second = await pidOf(pool).catch(() => pidOf(pool));
    expect(second).not.toBe(first);
    const own = await ownSeenFrom(pool);
    expect(own.has(second)).toBe(true);
    expect(own.has(first)).toBe(false);
  });
});

/** A TCP forwarder to 127.0.0.1:port on a port of its own, as a proxy or tunnel would be. */
async function forwardPort(port: number): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(port, "127.0.0.1");
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => (inbound.destroy(), outbound.destroy()));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
