import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/lib/embedded/postgres";
import { connect, runColdScanReport } from "./scenarios";
import { applySchema, seedDemoData } from "./seed";
import { startWorkload } from "./workload";

// A server scaled like the demo's (there 256MB of shared_buffers and ≈ 196 MB of positions, here
// 16MB and ≈ 30 MB), so the cold-scan scenario can be measured: scans of a table bigger than a
// quarter of shared_buffers use a ring buffer and read every block again.

let root: string;
let server: EmbeddedServer;
let url: string;
let c: pg.Client;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-demo-wl-"));
  await chmod(root, 0o755);
  // Autovacuum off: after the seed it would vacuum and analyze the new tables in the middle of
  // the measurement below, and its block hits count in the same database's figures.
  server = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false, settings: { shared_buffers: "16MB", max_connections: 40, autovacuum: "off" } });
  const admin = await connect(server.url(), "test");
  await admin.query(`CREATE DATABASE kundli_db`);
  await admin.end();
  url = server.url("kundli_db");
  c = await connect(url, "test");
  await applySchema(c);
  // ≈ 30 MB of planetary_positions: bigger than shared_buffers, so earlier scans cannot leave it cached.
  await seedDemoData(c, { scale: 0.15 });
});

afterAll(async () => {
  await c?.end();
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

const blocks = async () => {
  // This session's own counts (the seed's last statements, its VACUUM ANALYZE) wait in memory
  // until a flush; forced out now, they cannot land inside the measured interval later.
  await c.query(`SELECT pg_stat_force_next_flush()`);
  await c.query(`SELECT pg_stat_clear_snapshot()`);
  const r = await c.query(`SELECT blks_hit::float8 AS hit, blks_read::float8 AS read FROM pg_stat_database WHERE datname = current_database()`);
  return r.rows[0] as { hit: number; read: number };
};

describe("demo workload", () => {
  it("cold scans re-read planetary_positions on every run, pushing the interval hit ratio far below 90 %", async () => {
    const pages = (await c.query(`SELECT relpages FROM pg_class WHERE relname = 'planetary_positions'`)).rows[0].relpages as number;
    expect(pages * 8192).toBeGreaterThan(16 * 1024 * 1024);
    const scanner = await connect(url, "kundli-report");
    const before = await blocks();
    for (let i = 0; i < 3; i++) expect((await runColdScanReport(scanner)).rows).toBe(120);
    await scanner.query(`SELECT pg_stat_force_next_flush()`);
    await scanner.end();
    await new Promise((r) => setTimeout(r, 300));
    const after = await blocks();
    const read = after.read - before.read;
    const hit = after.hit - before.hit;
    expect(read).toBeGreaterThan(pages * 3 * 0.5);
    expect(hit / (hit + read)).toBeLessThan(0.9);
  });

  it("runs application traffic and the scenarios, and stop() closes everything", async () => {
    const lines: string[] = [];
    const wl = await startWorkload({
      url,
      rate: 40,
      log: (l) => lines.push(l),
      bloatRows: 20_000,
      schedule: {
        slow: { startMs: 200, everyMs: 60_000, forMs: 1, periodMs: 60_000 },
        coldScan: { startMs: 300, everyMs: 60_000, forMs: 1, periodMs: 60_000 },
        bloat: { startMs: 100, holdMs: 60_000, periodMs: 60_000 },
        stagingImport: { startMs: 60_000, holdMs: 60_000, periodMs: 60_000 },
        idleTx: { startMs: 100, holdMs: 60_000, pauseMs: 1_000 },
        longTx: { startMs: 100, holdMs: 60_000, pauseMs: 1_000 },
        lockChain: { startMs: 500, holdMs: 60_000, periodMs: 60_000 },
        cacheExpiry: 1_000,
      },
    });
    const insBefore = (await c.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;
    await new Promise((r) => setTimeout(r, 6_000));
    const live = await c.query(`SELECT application_name, state, cardinality(pg_blocking_pids(pid)) AS blocked FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'kundli-%'`);
    expect(live.rows.filter((r) => r.state === "idle in transaction").length).toBeGreaterThanOrEqual(3);
    expect(live.rows.filter((r) => r.blocked > 0).length).toBe(2);
    expect((await c.query(`SELECT count(*)::int AS n FROM slow_query_log`)).rows[0].n).toBeGreaterThanOrEqual(1);
    await wl.stop();
    const errors = lines.filter((l) => /failed|error(?!s\b)/.test(l) && !/0 errors/.test(l));
    expect(errors).toEqual([]);
    expect((await c.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n).toBeGreaterThan(insBefore);
    // A backend leaves pg_stat_activity a moment after its client hung up (longer on a busy machine).
    const left = async () => (await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'kundli-%'`)).rows[0].n;
    await expect.poll(left, { timeout: 3_000, interval: 100 }).toBe(0);
  });
});
