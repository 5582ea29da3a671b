import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createIndexBloatTask } from "@/lib/collector/tasks/index-bloat";
import { useMetricTestTarget } from "@/test/support/metric-target";
import { openTestTarget, type TestTarget } from "@/test/support/target";
import { runMetric } from "@/lib/metrics/run";
import type { MetricResult } from "@/lib/metrics/types";
import { COLUMN_STATS_SQL } from "@/lib/setup/column-stats";
import { SUPPORTED_MAJORS, type TestDatabase } from "@/test/db";
import { indexBloatFor, type IndexBloatRow } from "./index-bloat";

const byIndex = (r: MetricResult) => {
  if (r.status !== "ok") throw new Error(`index_bloat: ${r.status} ${"error" in r ? r.error : "reason" in r ? r.reason : ""}`);
  return new Map((r.rows as IndexBloatRow[]).map((x) => [x.indexname, x]));
};

describe.each(SUPPORTED_MAJORS)("index_bloat on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let admin: pg.Client;
  let target: TestTarget;
  const task = createIndexBloatTask();
  const estimate = async (t: TestTarget) =>
    byIndex(await runMetric(t.pool, indexBloatFor(t.ctx.caps), t.ctx.caps, "t"));

  useMetricTestTarget(major, async (admin) => {
    // Autovacuum off: the test decides when statistics exist.
    await admin.query(`
      CREATE TABLE planetary_positions (id int, planet int, note text) WITH (autovacuum_enabled = false);
      INSERT INTO planetary_positions SELECT g, g % 100, NULL FROM generate_series(1, 300000) g;
      CREATE INDEX pp_id ON planetary_positions (id);
      CREATE INDEX pp_planet ON planetary_positions (planet);
      ANALYZE planetary_positions;
      CREATE TABLE never_analysed (id int) WITH (autovacuum_enabled = false);
      INSERT INTO never_analysed SELECT generate_series(1, 20000);
      CREATE INDEX never_analysed_id ON never_analysed (id);
    `);
  }, (fx) => ({ db, admin, target } = fx));

  it("estimates a fresh index at ~0 %, flags a deduplicated one, and gives NULL without statistics", async () => {
    const rows = await estimate(target);
    const id = rows.get("pp_id")!;
    expect(id.bloat_percent).not.toBeNull();
    expect(id.bloat_percent!).toBeLessThan(3);
    expect(id.reliable).toBe(true);
    expect(id.bloat_source).toBe("estimate");
    expect(rows.get("pp_planet")!.reliable).toBe(false);
    expect(rows.get("pp_planet")!.unreliable_reason).toBe("deduplicated");
    const never = rows.get("never_analysed_id")!;
    expect(never.bloat_percent).toBeNull();
    expect(never.estimated_bytes_wasted).toBeNull();
    expect(never.reliable).toBe(false);
  });

  it("confirms the unreliable deduplicated index with pgstatindex: its exact bloat is low", async () => {
    await admin.query("CREATE EXTENSION pgstattuple");
    await target.refresh();
    const rows = byIndex(await task.run(target.ctx));
    const planet = rows.get("pp_planet")!;
    expect(planet.bloat_source).toBe("exact");
    expect(planet.bloat_percent!).toBeLessThan(10);
    expect(planet.unreliable_reason).toBe("deduplicated");
    // Reliable, under the threshold: not read.
    expect(rows.get("pp_id")!.bloat_source).toBe("estimate");
  });

  it("after deleting 60 % in scattered ranges and VACUUM: estimate > 30 % and close to pgstatindex", async () => {
    await admin.query("DELETE FROM planetary_positions WHERE (id / 50) % 10 < 6");
    await admin.query("VACUUM ANALYZE planetary_positions");
    const est = (await estimate(target)).get("pp_id")!;
    const exact = byIndex(await task.run(target.ctx)).get("pp_id")!;
    expect(est.bloat_percent!).toBeGreaterThan(30);
    expect(est.reliable).toBe(true);
    expect(exact.bloat_source).toBe("exact");
    expect(exact.bloat_percent!).toBeGreaterThan(30);
    expect(Math.abs(est.bloat_percent! - exact.bloat_percent!)).toBeLessThan(3);
    expect(exact.estimate_bloat_percent).toBe(est.bloat_percent);
    expect(exact.estimated_bytes_wasted!).toBeGreaterThan(0.3 * exact.index_bytes);
  });

  it("measures again after a purge that empties pages without freeing them (an exact figure is not reused)", async () => {
    await admin.query(`
      CREATE TABLE horoscope_cache (k text) WITH (autovacuum_enabled = false);
      INSERT INTO horoscope_cache SELECT md5(g::text) FROM generate_series(1, 60000) g;
      CREATE INDEX horoscope_cache_k ON horoscope_cache (k);
      ANALYZE horoscope_cache;
    `);
    // Threshold 0: every index is confirmed, so the fresh one gets an exact figure to cache.
    const ctx = { ...target.ctx, thresholds: { ...target.ctx.thresholds, indexBloatPercent: 0 } };
    const fresh = byIndex(await task.run(ctx)).get("horoscope_cache_k")!;
    expect(fresh.bloat_source).toBe("exact");
    expect(fresh.bloat_percent!).toBeLessThan(15);
    // Two in three keys, spread over every leaf page: no page empties, so none is freed.
    await admin.query(`DELETE FROM horoscope_cache WHERE abs(hashtext(k)) % 3 <> 0`);
    await admin.query(`VACUUM ANALYZE horoscope_cache`);
    // PG 13–14 report the vacuum through the statistics collector, up to ~0.5 s later.
    await expect
      .poll(async () => (await admin.query(`SELECT pg_stat_get_vacuum_count('horoscope_cache'::regclass)::int AS n`)).rows[0].n, { timeout: 5_000 })
      .toBeGreaterThan(0);
    const purged = byIndex(await task.run(ctx)).get("horoscope_cache_k")!;
    expect(purged.index_bytes).toBe(fresh.index_bytes);
    expect(purged.bloat_source).toBe("exact");
    expect(purged.bloat_percent!).toBeGreaterThan(40);
  });

  it("works for a role with only pg_monitor through pgpulse.column_stats()", async () => {
    const role = `mon_${randomBytes(4).toString("hex")}`;
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'mon'; GRANT pg_monitor TO ${role}`);
    const url = db.url.replace(/\/\/[^@]+@/, `//${role}:mon@`);
    const mon = await openTestTarget(url);
    try {
      expect(mon.ctx.caps.isSuperuser).toBe(false);
      // pg_stats hides the rows of tables the role cannot SELECT: no estimate at all.
      expect((await estimate(mon)).get("pp_id")!.bloat_percent).toBeNull();

      await admin.query("CREATE SCHEMA pgpulse");
      await admin.query(COLUMN_STATS_SQL);
      await admin.query(`GRANT USAGE ON SCHEMA pgpulse TO ${role}`);
      await admin.query(`REVOKE ALL ON FUNCTION pgpulse.column_stats() FROM PUBLIC; GRANT EXECUTE ON FUNCTION pgpulse.column_stats() TO ${role}`);
      expect((await mon.refresh()).objects.pgpulse_column_stats).toBe(true);

      const est = (await estimate(mon)).get("pp_id")!;
      expect(est.bloat_percent!).toBeGreaterThan(30);
      // pgstatindex through pg_monitor's pg_stat_scan_tables.
      const exact = byIndex(await task.run(mon.ctx)).get("pp_id")!;
      expect(exact.bloat_source).toBe("exact");
      expect(Math.abs(est.bloat_percent! - exact.bloat_percent!)).toBeLessThan(3);
    } finally {
      await mon.end();
      await admin.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it("keeps the estimate while its inputs stand, and estimates again after ANALYZE", async () => {
    const kept = createIndexBloatTask({ minIndexBytes: Number.MAX_SAFE_INTEGER });
    let taken = 0;
    const count = () => taken++;
    target.pool.on("acquire", count);
    try {
      const first = await kept.run(target.ctx);
      expect(taken).toBe(2);
      // The system catalogs' own pages and tuples are not inputs of the estimate.
      await admin.query("VACUUM ANALYZE pg_catalog.pg_class");
      taken = 0;
      const second = await kept.run(target.ctx);
      // The inputs' version alone.
      expect(taken).toBe(1);
      expect(byIndex(second)).toEqual(byIndex(first));
      expect(byIndex(second)).toEqual(await estimate(target));

      await admin.query("UPDATE planetary_positions SET planet = 7 WHERE id % 2 = 0");
      await admin.query("ANALYZE planetary_positions");
      taken = 0;
      const third = byIndex(await kept.run(target.ctx));
      expect(taken).toBe(2);
      expect(third).toEqual(await estimate(target));
    } finally {
      target.pool.off("acquire", count);
    }
  });
});
