import pg from "pg";
import { describe, expect, it } from "vitest";
import { runMetric } from "@/lib/metrics/run";
import { SUPPORTED_MAJORS, type TestDatabase } from "@/test/db";
import { useMetricTestTarget } from "@/test/support/metric-target";
import type { TestTarget } from "@/test/support/target";
import { autovacuumWorkers, type AutovacuumWorkersRow } from "./autovacuum-workers";
import { vacuumProgress, type VacuumProgressRow } from "./vacuum-progress";

// A VACUUM is caught while it runs by throttling it to a crawl in its own session (cost limit 1,
// the longest cost delay): it sleeps after every page, so it stays in "scanning heap" for as long
// as the test needs, and is cancelled afterwards.

describe.each(SUPPORTED_MAJORS)("vacuum_progress and autovacuum_workers on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let admin: pg.Client;
  let target: TestTarget;

  useMetricTestTarget(major, async (admin) => {
    await admin.query(`
      CREATE TABLE slowvac (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = off);
      INSERT INTO slowvac SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g;
      DELETE FROM slowvac WHERE id % 2 = 0;
    `);
  }, (fx) => ({ db, admin, target } = fx));

  it("sees a running VACUUM with its relation, phase, blocks and version's columns", async () => {
    const vac = new pg.Client({ connectionString: db.url });
    await vac.connect();
    const pid: number = (await vac.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    await vac.query("SET vacuum_cost_limit = 1; SET vacuum_cost_delay = 100");
    const running = vac.query("VACUUM slowvac").catch((e: Error) => e);
    try {
      let row: VacuumProgressRow | undefined;
      for (let i = 0; i < 50 && !(row?.heap_blks_scanned && row.heap_blks_scanned > 0); i++) {
        await new Promise((r) => setTimeout(r, 200));
        const res = await runMetric(target.pool, vacuumProgress, target.ctx.caps, "test");
        if (res.status !== "ok") throw new Error(`vacuum_progress: ${res.status}`);
        row = (res.rows as VacuumProgressRow[]).find((r) => r.pid === pid);
      }
      const pages = Number((await admin.query("SELECT pg_relation_size('slowvac') / 8192 AS n")).rows[0].n);
      expect(row).toMatchObject({ datname: db.name, relation: "public.slowvac", phase: "scanning heap", heap_blks_total: pages, is_autovacuum: false });
      expect(row!.progress).toBeCloseTo(row!.heap_blks_scanned! / pages, 9);
      expect(row!.progress).toBeLessThan(1);
      expect(row!.running_ms).toBeGreaterThan(0);
      if (major >= 17) {
        expect(row).toMatchObject({ max_dead_tuples: null, num_dead_tuples: null, indexes_total: 0, indexes_processed: 0 });
        expect(row!.max_dead_tuple_bytes).toBeGreaterThan(0);
      } else {
        expect(row).toMatchObject({ max_dead_tuple_bytes: null, num_dead_item_ids: null, indexes_total: null });
        expect(row!.max_dead_tuples).toBeGreaterThan(0);
      }
    } finally {
      await admin.query("SELECT pg_cancel_backend($1)", [pid]);
      await running;
      await vac.end();
    }
  });

  it("reports no vacuum once it ended, and the workers against autovacuum_max_workers", async () => {
    const res = await runMetric(target.pool, vacuumProgress, target.ctx.caps, "test");
    expect(res.status === "ok" && (res.rows as VacuumProgressRow[]).filter((r) => r.relation === "public.slowvac")).toEqual([]);
    const w = await runMetric(target.pool, autovacuumWorkers, target.ctx.caps, "test");
    if (w.status !== "ok") throw new Error(`autovacuum_workers: ${w.status}`);
    const settings = (await admin.query("SELECT current_setting('autovacuum_max_workers')::int AS m, current_setting('autovacuum')::bool AS on")).rows[0];
    const row = w.rows[0] as AutovacuumWorkersRow;
    expect(row.max_workers).toBe(settings.m);
    expect(row.autovacuum_on).toBe(settings.on);
    expect(row.workers).toBeGreaterThanOrEqual(0);
    expect(row.workers).toBeLessThanOrEqual(row.max_workers);
  });
});
