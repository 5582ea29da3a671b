import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, withClient, type TestDatabase } from "@/test/db";
import { adminPool, faultConfig, removeRoot, startFaultPgpulse, startFaultServer, tempRoot, until, type FaultServer } from "./support";

// Discovery on a real server: a database created while pgpulse runs becomes a target (with its
// discovery's tags) without a restart, one that the patterns exclude does not, and a dropped one
// is retired: its collector stops and its open alerts are closed with the reason.

let root: string;
let srv: FaultServer;
let storeDb: TestDatabase;
let rt: Pgpulse;
const ids = () => rt.targets.map((t) => t.id).sort();

beforeAll(async () => {
  root = await tempRoot("discovery");
  [srv, storeDb] = await Promise.all([startFaultServer(root, "target"), createTestDatabase(17, "fault_discovery_store")]);
  await withClient(srv.url(), (c) => c.query("CREATE DATABASE disc_a"));
  rt = await startFaultPgpulse({
    config: faultConfig({
      discovery: [{ id: "d", url: srv.url("postgres"), include: ["disc_*"], exclude: ["*_skip"], intervalSeconds: 5, tags: { env: "test", team: "dba" } }],
      // Every database's transaction-ID age is above 0: each discovered database has an open alert.
      rules: { xid_wraparound: { threshold: 0, clearThreshold: 0, criticalThreshold: null } },
    }),
    storeUrl: storeDb.url,
    leaseTtlMs: 2_000,
  });
}, 60_000);

afterAll(async () => {
  await rt?.stop();
  await srv?.stop();
  await storeDb?.drop();
  await removeRoot(root);
});

type AlertRow = { state: string; retired: string | null };
const alertsOf = (targetId: string) =>
  withClient(storeDb.url, async (c) => (await c.query<AlertRow>("SELECT state, details->>'retired' AS retired FROM pgpulse.alerts WHERE target_id = $1", [targetId])).rows);

describe("database discovery", () => {
  it("watches the matching databases found at start, with the discovery's tags", async () => {
    expect(ids()).toEqual(["d-disc_a"]);
    const t = rt.target("d-disc_a")!;
    expect(t.name).toBe("disc_a");
    expect(t.tags).toEqual({ env: "test", team: "dba" });
    await until("d-disc_a collected", () => rt.snapshot("d-disc_a")?.up, 15_000);
  }, 20_000);

  it("picks up a new database without a restart, and leaves out an excluded one", async () => {
    const admin = adminPool(srv.url());
    await admin.query("CREATE DATABASE disc_b");
    await admin.query("CREATE DATABASE disc_c_skip");
    await admin.end();
    await until("d-disc_b discovered and collected", () => rt.snapshot("d-disc_b")?.up, 20_000);
    expect(ids()).toEqual(["d-disc_a", "d-disc_b"]);
    await until("an open alert on d-disc_b", async () => (await alertsOf("d-disc_b")).some((a) => a.state === "firing"), 20_000);
  }, 45_000);

  it("retires a dropped database: collector stopped, open alerts closed with the reason", async () => {
    await withClient(srv.url(), (c) => c.query("DROP DATABASE disc_b WITH (FORCE)"));
    await until("d-disc_b retired", () => !ids().includes("d-disc_b") && !rt.collectors.has("d-disc_b"), 20_000);
    const closed = await until("its alerts closed", async () => {
      const rows = await alertsOf("d-disc_b");
      return rows.length > 0 && rows.every((a) => a.state === "resolved" || a.state === "inactive") ? rows : null;
    }, 10_000);
    expect(closed.filter((a) => a.retired === "database dropped").length).toBeGreaterThan(0);
    // The other target is untouched.
    expect(ids()).toEqual(["d-disc_a"]);
    expect((await alertsOf("d-disc_a")).some((a) => a.state === "firing")).toBe(true);
  }, 45_000);
});
