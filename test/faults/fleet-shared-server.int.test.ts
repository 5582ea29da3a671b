import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, withClient, type TestDatabase } from "@/test/db";
import { adminPool, faultConfig, removeRoot, spyResults, startFaultPgpulse, startFaultServer, tempRoot, until, type FaultServer, type SeenResult } from "./support";

// Two targets, two databases, one real server: the server's cluster-wide reads are collected
// once, and each target stores and alerts on its own database's rows only. Before the share,
// target `fleet_b` raised an alert on `db:fleet_a` (and the reverse) from the same
// pg_stat_database read.

let root: string;
let srv: FaultServer;
let storeDb: TestDatabase;
let rt: Pgpulse;
let seen: SeenResult[];

beforeAll(async () => {
  root = await tempRoot("shared-server");
  [srv, storeDb] = await Promise.all([startFaultServer(root, "target"), createTestDatabase(17, "fault_shared_store")]);
  const admin = adminPool(srv.url());
  await admin.query("CREATE DATABASE fleet_a");
  await admin.query("CREATE DATABASE fleet_b");
  await admin.end();
  rt = await startFaultPgpulse({
    config: faultConfig({
      targets: [
        { id: "fleet_a", name: "A", url: srv.url("fleet_a") },
        { id: "fleet_b", name: "B", url: srv.url("fleet_b") },
      ],
      // Every database's transaction-ID age is above 0: each database fires, on one target only.
      rules: { xid_wraparound: { threshold: 0, clearThreshold: 0, criticalThreshold: null } },
    }),
    storeUrl: storeDb.url,
  });
  seen = spyResults(rt, true);
}, 60_000);

afterAll(async () => {
  await rt?.stop();
  await srv?.stop();
  await storeDb?.drop();
  await removeRoot(root);
});

const datnames = (targetId: string, metric: string) =>
  new Set(seen.filter((s) => s.targetId === targetId && s.metric === metric).flatMap((s) => (s.rows ?? []).map((r) => r.datname)));

describe("targets on one server", () => {
  it("collect the cluster-wide reads once and attribute per-database rows to their target", async () => {
    await until("both targets stored db_stats twice", () => ["fleet_a", "fleet_b"].every((t) => seen.filter((s) => s.targetId === t && s.metric === "db_stats").length >= 2), 20_000);

    // One member ran the server-wide tasks; the other only received its part.
    const tasks = (id: string) => rt.snapshot(id)?.tasks ?? {};
    expect(tasks("fleet_a").stat_activity.runs).toBeGreaterThan(0);
    expect(tasks("fleet_b").stat_activity.runs).toBe(0);
    expect(tasks("fleet_b").db_stats.runs).toBe(0);
    // Database-scope tasks stay per target.
    expect(tasks("fleet_b").table_stats.runs).toBeGreaterThan(0);

    expect([...datnames("fleet_b", "db_stats")]).toEqual(["fleet_b"]);
    expect(datnames("fleet_a", "db_stats").has("fleet_a")).toBe(true);
    expect(datnames("fleet_a", "db_stats").has("fleet_b")).toBe(false);
    // Unwatched databases stay with the member that collected them.
    expect(datnames("fleet_a", "db_stats").has("postgres")).toBe(true);
    expect(datnames("fleet_b", "db_size").has("fleet_a")).toBe(false);

    // A server-wide figure without a database is stored (and evaluated) once per server, but
    // every target's live view shows it.
    expect(seen.some((s) => s.targetId === "fleet_b" && s.metric === "connections")).toBe(false);
    expect(seen.some((s) => s.targetId === "fleet_a" && s.metric === "connections")).toBe(true);
    expect(rt.snapshot("fleet_b")?.metrics.connections?.status).toBe("ok");
  }, 30_000);

  it("alerts on a database from the target that watches it, and from no other", async () => {
    type A = { target_id: string; object_key: string };
    const alerts = await until("xid_wraparound fired on both databases", async () => {
      const rows = await withClient(storeDb.url, async (c) => (await c.query<A>("SELECT target_id, object_key FROM pgpulse.alerts WHERE rule = 'xid_wraparound' ORDER BY 1, 2")).rows);
      const keys = rows.map((r) => `${r.target_id} ${r.object_key}`);
      return keys.includes("fleet_a db:fleet_a") && keys.includes("fleet_b db:fleet_b") ? keys : null;
    }, 20_000);
    expect(alerts.filter((k) => k.startsWith("fleet_b "))).toEqual(["fleet_b db:fleet_b"]);
    expect(alerts).not.toContain("fleet_a db:fleet_b");
    // Each database once, whichever target.
    const objects = alerts.map((k) => k.split(" ")[1]);
    expect(new Set(objects).size).toBe(objects.length);
  }, 30_000);
});
