import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@/test/db";
import { createSeededDemoDatabase } from "@/test/demo-db";
import { archivePartnerImport, freezeAllDatabases, reindexConcurrently, runPartnerImport, runPerRowEtl, STAGING_TABLE, xidAges } from "./maintenance";
import { startReportsServer, type ReportsServer } from "./reports-server";
import { connect, runCacheBloat } from "./scenarios";

// The second half of each demo condition: what makes it and what ends it, for real.

const MB = 1024 * 1024;

let db: TestDatabase;
let c: pg.Client;
let root: string;
let reports: ReportsServer;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-demo-maint-"));
  await chmod(root, 0o755);
  let seeded;
  [seeded, reports] = await Promise.all([
    createSeededDemoDatabase("demo_maint"),
    // A server of its own: burning transaction IDs and freezing every database would reach
    // into the other test files' databases on the shared server.
    startReportsServer({ dataDir: path.join(root, "reports"), monitorPassword: "maint-test-pw" }),
  ]);
  ({ db, client: c } = seeded);
});

afterAll(async () => {
  await c?.end();
  await db?.drop();
  await reports?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

const totalBytes = async (table: string) => Number((await c.query(`SELECT pg_total_relation_size($1::regclass) AS b`, [table])).rows[0].b);

describe("demo maintenance", () => {
  it("the partner import grows its staging table past the target in batches; archiving gives the space back", async () => {
    const r = await runPartnerImport(c, { targetBytes: 12 * MB, batchRows: 2_000 });
    expect(r.bytes).toBeGreaterThanOrEqual(12 * MB);
    // Stops at the first batch past the target (≈ 2 MB each), not long after.
    expect(r.bytes).toBeLessThan(16 * MB);
    expect(await totalBytes(STAGING_TABLE)).toBe(r.bytes);
    expect(r.rows % 2_000).toBe(0);
    const left = await archivePartnerImport(c);
    expect(left).toBeLessThan(64 * 1024);
    expect((await c.query(`SELECT count(*)::int AS n FROM ${STAGING_TABLE}`)).rows[0].n).toBe(0);
  });

  it("an import asked to stop stops after the batch in progress", async () => {
    let batches = 0;
    const r = await runPartnerImport(c, { targetBytes: 100 * MB, batchRows: 1_000, cancelled: () => ++batches > 2 });
    expect(r.rows).toBe(2_000);
    await archivePartnerImport(c);
  });

  it("REINDEX CONCURRENTLY takes a bloated cache index back under the clear line", async () => {
    const bloated = await runCacheBloat(c, 60_000);
    expect(bloated.bloatPct).toBeGreaterThan(30);
    const fixed = await reindexConcurrently(c);
    expect(fixed.bloatPct).toBeLessThan(25);
    expect(fixed.indexBytes).toBeLessThan(bloated.indexBytes * 0.75);
    // Still the same index by name, valid, with every live row.
    const idx = await c.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'query_cache_pkey'::regclass`);
    expect(idx.rows[0].indisvalid).toBe(true);
  });

  it("the per-row ETL ages every database by the transactions it commits; the freeze job brings them back", async () => {
    const admin = await connect(reports.adminUrl, "test");
    try {
      const before = await xidAges(admin);
      expect(Object.keys(before)).toEqual(expect.arrayContaining(["kundli_reports", "postgres", "template1"]));
      await runPerRowEtl(admin, 50_000);
      const after = await xidAges(admin);
      for (const name of Object.keys(before)) expect(after[name] - before[name]).toBeGreaterThanOrEqual(50_000);
      const frozen = await freezeAllDatabases(reports.url);
      expect(frozen.sort()).toEqual(Object.keys(before).sort());
      const now = await xidAges(admin);
      for (const name of frozen) expect(now[name]).toBeLessThan(1_000);
    } finally {
      await admin.end();
    }
  });

  it("the reports server stops for maintenance and comes back with its data and monitoring role", async () => {
    await reports.stop();
    expect(reports.running()).toBe(false);
    await expect(connect(reports.monitorUrl, "test")).rejects.toThrow(/ECONNREFUSED/);
    await reports.start();
    expect(reports.running()).toBe(true);
    const m = await connect(reports.monitorUrl, "test");
    try {
      const r = await m.query(`SELECT current_user AS u, current_database() AS d, pg_has_role('pg_monitor', 'MEMBER') AS mon`);
      expect(r.rows[0]).toEqual({ u: "pgpulse_monitor", d: "kundli_reports", mon: true });
    } finally {
      await m.end();
    }
  });
});
