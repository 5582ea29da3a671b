import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import {
  adminPool,
  faultConfig,
  longestGap,
  pgpulseSessions,
  removeRoot,
  spyResults,
  startFaultPgpulse,
  startFaultServer,
  startFreezableProxy,
  startStallServer,
  tempRoot,
  until,
  type FaultServer,
  type SeenResult,
} from "./support";

// Fault 3: the collector's backend is terminated, and the network stalls — a "target" that
// accepts TCP and never answers, and a healthy session whose packets stop mid-query. Timeouts
// fire, pools are replaced, the stalled targets show down with a timeout error, and the healthy
// target keeps its cadence throughout (stat_activity every 0.5 s).

let root: string;
let srv: FaultServer;
let db: TestDatabase;
let proxy: Awaited<ReturnType<typeof startFreezableProxy>>;
let stall: Awaited<ReturnType<typeof startStallServer>>;
let rt: Pgpulse;
let seen: SeenResult[];
let admin: ReturnType<typeof adminPool>;

beforeAll(async () => {
  root = await tempRoot("conn");
  [srv, db, stall] = await Promise.all([startFaultServer(root, "target"), createTestDatabase(17, "fault_conn_store"), startStallServer()]);
  proxy = await startFreezableProxy(srv.port);
  admin = adminPool(srv.url(), 1);
  // The target's own credentials (random per server), through the proxy or to the stall.
  const via = (port: number) => Object.assign(new URL(srv.url()), { port: String(port) }).toString();
  rt = await startFaultPgpulse({
    config: faultConfig({
      targets: [
        { id: "healthy", name: "Healthy", url: srv.url() },
        { id: "frozen", name: "Behind a proxy", url: via(proxy.port) },
        { id: "void", name: "Never answers", url: via(stall.port) },
      ],
    }),
    storeUrl: db.url,
  });
  seen = spyResults(rt);
});

afterAll(async () => {
  await rt?.stop();
  await admin?.end();
  await proxy?.close();
  await stall?.close();
  await srv?.stop();
  await db?.drop();
  await removeRoot(root);
});

const target = (id: string) => rt.health().targets.find((t) => t.id === id)!;

describe("terminated backends and network stalls", () => {
  it("a target that never answers shows down with a connection timeout; the others are collected", async () => {
    await until("healthy and frozen up", () => target("healthy").up === true && target("frozen").up === true);
    const v = await until("the void target down", () => (target("void").up === false ? target("void") : null), 15_000);
    expect(v.lastError).toMatch(/timeout/i);
    expect(stall.connections()).toBeGreaterThan(0);
    expect(rt.health().status).toBe("degraded");
  }, 30_000);

  it("pg_terminate_backend on pgpulse's sessions: fresh connections, no outage, collection goes on", async () => {
    const before = await until("pgpulse sessions on the target", async () => {
      const pids = await pgpulseSessions(admin);
      return pids.length >= 2 ? pids : null;
    });
    const killedAt = Date.now();
    const { rows } = await admin.query<{ ok: boolean }>("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'pgpulse'");
    expect(rows.length).toBe(before.length);
    // Collection continues on new connections.
    await until("stat_activity collected again after the kill", () => seen.some((s) => s.targetId === "healthy" && s.metric === "stat_activity" && s.status === "ok" && s.ts > killedAt + 200));
    const after = await until("new pgpulse sessions", async () => {
      const pids = await pgpulseSessions(admin);
      return pids.length > 0 ? pids : null;
    });
    expect(after.filter((p) => before.includes(p))).toEqual([]);
    // The pool dropped the dead connection and the probe retried on a fresh one: never down.
    expect(seen.filter((s) => s.targetId === "healthy" && s.metric === "up" && s.at >= killedAt && s.up === 0)).toEqual([]);
    expect(target("healthy").up).toBe(true);
    await until("three seconds of collection after the kill", () => Date.now() > killedAt + 3_000, 5_000);
    expect(longestGap(seen, "healthy", "stat_activity", killedAt + 1_000, Date.now())).toBeLessThan(1_500);
  }, 30_000);

  it("a stall mid-session: the watchdog gives up, the target shows down, the healthy one keeps its cadence, then it recovers", async () => {
    await until("frozen target collected", () => target("frozen").up === true && seen.some((s) => s.targetId === "frozen" && s.metric === "stat_activity" && s.status === "ok"));
    const frozenAt = Date.now();
    proxy.freeze();
    const down = await until("the frozen target down", () => (target("frozen").up === false ? target("frozen") : null), 30_000);
    const downAt = Date.now();
    expect(down.lastError).toMatch(/timeout|did not finish/i);
    // stat_activity's timeout (2 s) + the watchdog margin (7 s), then the probe's connect timeout (5 s).
    expect(downAt - frozenAt).toBeLessThan(2_000 + 7_000 + 5_000 + 2_000);
    // Whichever fires first — the pool's connect timeout for the probe waiting on the stuck
    // connection, or the task watchdog — the hung run is abandoned with a timeout error.
    const hung = seen.filter((s) => s.targetId === "frozen" && s.at > frozenAt && s.status === "error");
    expect(hung.length).toBeGreaterThan(0);
    for (const h of hung) expect(h.error).toMatch(/timeout|did not finish|terminated/i);
    // The healthy target was never held up by the stalled one.
    expect(longestGap(seen, "healthy", "stat_activity", frozenAt, downAt)).toBeLessThan(1_500);
    expect(target("healthy").up).toBe(true);

    const thawedAt = Date.now();
    proxy.thaw();
    await until("the frozen target up again", () => target("frozen").up === true, 20_000);
    await until("collection resumed behind the proxy", () => seen.some((s) => s.targetId === "frozen" && s.metric === "stat_activity" && s.status === "ok" && s.ts > thawedAt));
  }, 60_000);
});
