import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { faultConfig, startFaultPgpulse, until } from "@/test/faults/support";
import { startReceiver, type Receiver } from "@/test/support/alerts";
import { promtool } from "@/test/support/promtool";
import { renderMetrics } from "./prometheus";

// The exposition of a real collector run must pass `promtool check metrics` (Debian's
// `prometheus` package; .ci/run installs it). A missing promtool fails this test: the lint is
// the point of it.

let target: TestDatabase;
let storeDb: TestDatabase;
let receiver: Receiver;
let rt: Pgpulse;

beforeAll(async () => {
  [target, storeDb, receiver] = await Promise.all([createTestDatabase(17, "prom_target"), createTestDatabase(17, "prom_store"), startReceiver()]);
  const c = new pg.Client({ connectionString: target.url });
  await c.connect();
  await c.query("CREATE TABLE charts (id int); INSERT INTO charts SELECT generate_series(1, 100)");
  await c.end();
  rt = await startFaultPgpulse({
    config: faultConfig({
      targets: [{ id: "kundli", name: "Kundli", url: target.url, thresholds: { tableSizeBytes: 1 } }],
      channels: [{ id: "hook", type: "webhook", url: receiver.url }],
    }),
    storeUrl: storeDb.url,
  });
});

afterAll(async () => {
  await rt?.stop();
  await receiver?.close();
  await target?.drop();
  await storeDb?.drop();
});

describe("/api/metrics exposition", () => {
  it("promtool flags a gauge named like a counter (the check is live)", async () => {
    const r = await promtool(["check", "metrics"], { input: "# HELP pgpulse_x_total x\n# TYPE pgpulse_x_total gauge\npgpulse_x_total 1\n" });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain("_total");
  });

  it("passes promtool check metrics after a real collection, alert and delivery", async () => {
    await until("db_stats collected and a notification delivered", () => rt.snapshot("kundli")?.metrics.db_stats?.status === "ok" && receiver.requests.length > 0, 30_000);
    await until("the delivery recorded", async () => (await renderMetrics(rt)).body.includes('pgpulse_notifications_total{outcome="delivered"} 1'), 10_000);
    const { body } = await renderMetrics(rt);
    const r = await promtool(["check", "metrics"], { input: body });
    expect(r.output).toBe("");
    expect(r.code).toBe(0);

    // Raw PostgreSQL counters are counters; pgpulse's own health is there with bounded labels.
    expect(body).toContain("# TYPE pgpulse_db_stats_xact_commit_total counter");
    expect(body).toMatch(/^pgpulse_db_stats_xact_commit_total\{target="kundli",datname="[^"]+"\} [1-9]\d*$/m);
    expect(body).toMatch(/^pgpulse_collection_duration_seconds_count\{target="kundli",metric="db_stats"\} [1-9]\d*$/m);
    expect(body).toContain("# TYPE pgpulse_collection_errors_total counter");
    expect(body).toMatch(/^pgpulse_store_write_duration_seconds_count\{outcome="ok"\} [1-9]\d*$/m);
    expect(body).toContain('pgpulse_lease_changes_total{target="kundli",change="acquired"} 1');
    expect(body).toContain("pgpulse_leases_held 1");
    expect(body).toMatch(/^pgpulse_outbox_pending 0$/m);
    expect(body).toContain('pgpulse_target_up{target="kundli"} 1');
    expect(body).not.toContain("charts"); // object names never become labels
  }, 60_000);
});
