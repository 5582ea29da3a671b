import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { availability } from "@/lib/server/views/sources";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { faultConfig, startFaultPgpulse, until } from "./support";

// Fault 5: half-configured targets. "bare" has no pg_stat_statements, no pgstattuple, no
// performance_metrics view, no slow_query_log table, track_counts off, and is watched by a role
// without pg_monitor; "full" has all of it. Each gap shows as "unavailable: <reason and fix>"
// on the metric it degrades, everything else is collected, and a fix shows up at the next probe.

const SOURCES: Record<string, RegExp> = {
  "slow_queries.pg_stat_statements": /pg_stat_statements is not installed .*CREATE EXTENSION pg_stat_statements/,
  "slow_queries.slow_query_log": /slow_query_log does not exist .*npm run setup/,
  "index_bloat.pgstattuple": /pgstattuple is not installed .*CREATE EXTENSION pgstattuple/,
  "table_stats.performance_metrics": /performance_metrics does not exist .*pg_stat_user_tables/,
  "stat_activity.pg_monitor": /lacks pg_monitor.*GRANT pg_monitor TO fault_nomon_/,
  "table_stats.track_counts": /track_counts is off .*track_counts = on/,
};
const METRICS = ["stat_activity", "connections", "db_stats", "db_size", "table_stats", "index_stats", "index_bloat", "slow_queries"];

let bare: TestDatabase;
let full: TestDatabase;
let storeDb: TestDatabase;
let rt: Pgpulse;
const role = `fault_nomon_${randomBytes(4).toString("hex")}`;

async function sql(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  [bare, full, storeDb] = await Promise.all([createTestDatabase(17, "fault_bare"), createTestDatabase(17, "fault_full"), createTestDatabase(17, "fault_half_store")]);
  await sql(bare.adminUrl, `CREATE ROLE ${role} LOGIN PASSWORD 'nomon'; ALTER DATABASE ${bare.name} SET track_counts = off`);
  await sql(bare.url, "CREATE TABLE users (id int primary key, is_active bool); INSERT INTO users SELECT g, g % 2 = 0 FROM generate_series(1, 100) g");
  await sql(
    full.url,
    `CREATE EXTENSION pg_stat_statements; CREATE EXTENSION pgstattuple;
     CREATE TABLE users (id int primary key); INSERT INTO users SELECT generate_series(1, 100);
     CREATE VIEW performance_metrics AS SELECT schemaname, relname, seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables;
     CREATE TABLE slow_query_log (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), query_text text, execution_time interval, captured_at timestamptz DEFAULT current_timestamp)`,
  );
  const bareUrl = new URL(bare.url);
  bareUrl.username = role;
  bareUrl.password = "nomon";
  rt = await startFaultPgpulse({
    config: faultConfig({
      targets: [
        { id: "bare", name: "Bare", url: bareUrl.toString() },
        { id: "full", name: "Full", url: full.url },
      ],
    }),
    storeUrl: storeDb.url,
  });
});

afterAll(async () => {
  await rt?.stop();
  await Promise.allSettled([bare?.drop(), full?.drop(), storeDb?.drop()]);
  await sql(storeDb.adminUrl, `DROP ROLE IF EXISTS ${role}`).catch(() => {});
});

const ran = (id: string) => METRICS.every((m) => rt.snapshot(id)?.metrics[m] !== undefined);

describe("half-configured targets", () => {
  it("each missing piece is 'unavailable: <reason and fix>' on its metric; everything else works", async () => {
    await until("every metric ran on both targets", () => ran("bare") && ran("full"), 20_000);
    for (const id of ["bare", "full"]) {
      for (const m of METRICS) expect([id, m, rt.snapshot(id)!.metrics[m].status]).toEqual([id, m, "ok"]);
    }
    expect(rt.health().status).toBe("ok");

    // What the panels show (the availability view the route handlers use).
    const shown = await availability(rt, "bare", Object.keys(SOURCES));
    for (const [source, re] of Object.entries(SOURCES)) {
      expect(shown[source], source).toMatch(/^unavailable: /);
      expect(shown[source], source).toMatch(re);
    }
    const fine = await availability(rt, "full", Object.keys(SOURCES));
    expect(Object.values(fine)).toEqual(Object.keys(SOURCES).map(() => null));

    // Recorded in the store too, so it survives a restart.
    await rt.store.flush();
    const stored = await rt.store.metricStatus("bare");
    for (const [source, re] of Object.entries(SOURCES)) {
      const row = stored.find((r) => r.metric === source);
      expect(row?.status, source).toBe("unavailable");
      expect(row?.reason, source).toMatch(re);
    }
    // A fix is picked up at the next probe, without a restart.
    await sql(bare.url, "CREATE EXTENSION pg_stat_statements");
    await until("pg_stat_statements seen on bare", () => rt.snapshot("bare")?.metrics["slow_queries.pg_stat_statements"]?.status === "ok", 10_000);
    expect((await availability(rt, "bare", ["slow_queries.pg_stat_statements"]))["slow_queries.pg_stat_statements"]).toBeNull();
  }, 60_000);
});
