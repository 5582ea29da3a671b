import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { adminPool, faultConfig, longestGap, removeRoot, spyResults, startFaultPgpulse, startFaultServer, tempRoot, until, type FaultServer, type SeenResult } from "./support";

// Fault 7: a catalog of 10,000 tables and a storm of 400 sessions, half of them idle in
// transaction (the issue's 1,000 scaled to what a 2-core machine runs beside the rest of the
// suite in about a minute). Collection stays within its cadence and its timeouts; the task
// durations are printed for docs/RELIABILITY.md.

const TABLES = 10_000;
const SESSIONS = 400;
const INTERVALS = { server: 2_000, stat_activity: 1_000, connections: 1_000, db_stats: 1_000, db_size: 5_000, index_stats: 4_000, table_stats: 4_000, index_bloat: 5_000, slow_queries: 2_000 };
// The definitions' statement timeouts (lib/metrics/definitions).
const TIMEOUTS: Record<string, number> = { stat_activity: 2_000, connections: 2_000, db_stats: 3_000, table_stats: 15_000, index_stats: 15_000, index_bloat: 30_000 };

let root: string;
let srv: FaultServer;
let storeDb: TestDatabase;
let rt: Pgpulse;
let seen: SeenResult[];
const storm: pg.Client[] = [];

beforeAll(async () => {
  root = await tempRoot("scale");
  [srv, storeDb] = await Promise.all([startFaultServer(root, "target", {
      max_connections: SESSIONS + 60,
      // A throwaway catalog of 40,000 files: without this the shutdown checkpoint spends a
      // minute in fsync. Nothing measured here depends on durability.
      fsync: "off",
      full_page_writes: "off",
    }), createTestDatabase(17, "fault_scale_store")]);
  const admin = adminPool(srv.url(), 4);
  const t0 = Date.now();
  // Four sessions, batches of 500 tables per transaction (each holds a lock per table).
  await Promise.all(
    [0, 1, 2, 3].map(async (w) => {
      for (let b = w; b * 500 < TABLES; b += 4) {
        await admin.query(`DO $$ BEGIN FOR i IN ${b * 500}..${b * 500 + 499} LOOP EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, v text)', i); END LOOP; END $$`);
      }
    }),
  );
  await admin.end();
  console.info(`scale: ${TABLES} tables created in ${Date.now() - t0} ms`);
  rt = await startFaultPgpulse({ config: faultConfig({ targets: [{ id: "t", name: "Big", url: srv.url() }] }), storeUrl: storeDb.url, intervals: INTERVALS });
  seen = spyResults(rt);
}, 180_000);

afterAll(async () => {
  await Promise.allSettled(storm.map((c) => c.end()));
  await rt?.stop();
  await srv?.stop();
  await storeDb?.drop();
  await removeRoot(root);
});

describe("a big catalog and a session storm", () => {
  it("collection stays within its cadence and timeouts", async () => {
    const t0 = Date.now();
    for (let i = 0; i < SESSIONS; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, j) => {
          const c = new pg.Client({ connectionString: srv.url(), application_name: "storm" });
          c.on("error", () => {});
          await c.connect();
          storm.push(c);
          // Half idle in transaction, holding a snapshot; half idle.
          if ((i + j) % 2 === 0) await c.query("BEGIN; SELECT count(*) FROM t1");
        }),
      );
    }
    console.info(`scale: ${SESSIONS} sessions opened in ${Date.now() - t0} ms`);

    const stormAt = Date.now();
    const after = (metric: string) => seen.filter((s) => s.metric === metric && s.at > stormAt);
    await until("every task ran twice under the storm", () => Object.keys(TIMEOUTS).every((m) => after(m).length >= 2), 45_000);
    const until0 = Date.now();

    const report: string[] = [];
    for (const [metric, timeout] of Object.entries(TIMEOUTS)) {
      const runs = after(metric);
      const live = ["stat_activity", "connections", "db_stats"].includes(metric);
      for (const r of runs) {
        // The live lane always succeeds. A bulk task either finishes or is cut at its own
        // statement timeout: never a connection error from waiting behind its neighbours.
        if (live || r.status === "ok") expect([metric, r.status], r.error).toEqual([metric, "ok"]);
        else expect(r.error, metric).toMatch(/statement timeout/);
      }
      const max = Math.max(...runs.map((r) => r.durationMs ?? 0));
      const failed = runs.filter((r) => r.status !== "ok").length;
      report.push(`${metric} max ${Math.round(max)} ms (${runs.length} runs${failed ? `, ${failed} cut at the timeout` : ""})`);
      expect(max, metric).toBeLessThan(timeout + 1_000);
    }
    // The live view kept its 1 s cadence while the big tasks ran on the other connection.
    const gap = longestGap(seen, "t", "stat_activity", stormAt, until0);
    report.push(`stat_activity longest gap ${gap} ms`);
    // At most one tick skipped under the whole suite's load (2 × interval + the 10 % jitter).
    expect(gap).toBeLessThan(2.5 * INTERVALS.stat_activity);
    // The sessions were all seen, idle in transaction ones counted as such.
    const sa = rt.snapshot("t")!.metrics.stat_activity;
    expect(sa.status === "ok" && sa.rows.filter((r) => r.application_name === "storm").length).toBe(SESSIONS);
    const tables = after("table_stats").filter((r) => r.status === "ok");
    expect(tables.length).toBeGreaterThan(0);
    const lastTables = rt.snapshot("t")!.metrics.table_stats;
    expect(lastTables.status === "ok" && lastTables.rows.length).toBeGreaterThanOrEqual(TABLES);
    const overruns = Object.entries(rt.snapshot("t")!.tasks ?? {}).map(([id, t]) => `${id}:${t.overruns}`).join(" ");
    console.info(`scale: ${report.join("; ")}; overruns ${overruns}`);
    expect(rt.health().targets[0].up).toBe(true);
  }, 120_000);
});
