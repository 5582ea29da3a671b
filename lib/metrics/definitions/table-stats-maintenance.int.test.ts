import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTableStatsTask } from "@/lib/collector/tasks/table-stats";
import type { MetricResult } from "@/lib/metrics/types";
import { createTestDatabase, SUPPORTED_MAJORS, urlAs, type TestDatabase } from "@/test/db";
import { openTestTarget, type TestTarget } from "@/test/support/target";
import type { TableStatsRow } from "./table-stats";

// The maintenance figures table_stats carries (dead ratio, changes since analyze, inserts since
// vacuum, xid age), read as a role with only pg_monitor and no SELECT on the tables.

const rowsOf = (r: MetricResult) => {
  if (r.status !== "ok") throw new Error(`table_stats: ${r.status} ${"error" in r ? r.error : ""}`);
  return new Map((r.rows as TableStatsRow[]).map((x) => [x.relname, x]));
};

describe.each(SUPPORTED_MAJORS)("table_stats maintenance figures on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let admin: pg.Client;
  let target: TestTarget;
  const monitor = `mon_${randomBytes(4).toString("hex")}`;
  const task = createTableStatsTask();

  /** Stats reach other sessions late (collector before 15, deferred flush after): poll. */
  async function until(ok: (rows: Map<string, TableStatsRow>) => boolean): Promise<Map<string, TableStatsRow>> {
    let rows = rowsOf(await task.run(target.ctx));
    for (let i = 0; i < 60 && !ok(rows); i++) {
      if (major >= 15) await admin.query("SELECT pg_stat_force_next_flush()");
      else await admin.query("SELECT 1");
      await new Promise((r) => setTimeout(r, 250));
      rows = rowsOf(await task.run(target.ctx));
    }
    return rows;
  }

  beforeAll(async () => {
    db = await createTestDatabase(major);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${monitor} LOGIN PASSWORD 'pw' IN ROLE pg_monitor`);
    // Autovacuum off on the table: the dead tuples must stay until the test reads them.
    await admin.query(`CREATE TABLE purged (id int, v text) WITH (autovacuum_enabled = off)`);
    await admin.query(`INSERT INTO purged SELECT g, 'x' FROM generate_series(1, 20000) g`);
    await admin.query(`DELETE FROM purged WHERE id <= 5000`);
    if (major >= 15) await admin.query("SELECT pg_stat_force_next_flush()");
    target = await openTestTarget(urlAs(db.url, monitor, "pw"));
  });

  afterAll(async () => {
    await target?.end();
    await admin?.end();
    await db?.drop();
    const c = new pg.Client({ connectionString: db.adminUrl });
    await c.connect();
    await c.query(`DROP ROLE IF EXISTS ${monitor}`).finally(() => c.end());
  });

  it("reports the dead tuple ratio after a DELETE, without SELECT on the table", async () => {
    const rows = await until((r) => r.get("purged")?.n_dead_tup === 5000);
    const purged = rows.get("purged")!;
    expect(purged).toMatchObject({ n_live_tup: 15000, n_dead_tup: 5000, n_ins_since_vacuum: 20000 });
    expect(purged.dead_ratio).toBeCloseTo(0.25, 10);
    expect(purged.last_vacuum).toBeNull();
  });

  it("counts rows modified since the last analyze, and inserts since the last vacuum", async () => {
    await admin.query(`CREATE TABLE edited (id int, v int) WITH (autovacuum_enabled = off)`);
    await admin.query(`INSERT INTO edited SELECT g, 0 FROM generate_series(1, 1000) g`);
    // The inserts must be counted before ANALYZE resets the count, or they land after it.
    await until((r) => r.get("edited")?.n_tup_ins === 1000);
    await admin.query(`VACUUM ANALYZE edited`);
    await admin.query(`UPDATE edited SET v = 1 WHERE id <= 300`);
    const rows = await until((r) => r.get("edited")?.n_mod_since_analyze === 300);
    const edited = rows.get("edited")!;
    expect(edited.n_mod_since_analyze).toBe(300);
    // VACUUM reset the insert count; the UPDATE's new row versions are not counted as inserts.
    expect(edited.n_ins_since_vacuum).toBe(0);
    expect(edited.last_vacuum).toBeInstanceOf(Date);
    expect(edited.last_analyze).toBeInstanceOf(Date);
  });

  it("gives the age of relfrozenxid for tables, and the oldest leaf for a partitioned parent", async () => {
    await admin.query(`CREATE TABLE parted (id int) PARTITION BY RANGE (id);
      CREATE TABLE parted_a PARTITION OF parted FOR VALUES FROM (0) TO (10);
      CREATE TABLE parted_b PARTITION OF parted FOR VALUES FROM (10) TO (20)`);
    // Each statement after the table's creation consumes an xid, so its age grows past 0.
    await admin.query(`INSERT INTO parted VALUES (1)`);
    await admin.query(`INSERT INTO parted VALUES (11)`);
    const rows = rowsOf(await task.run(target.ctx));
    const a = rows.get("parted_a")!.xid_age!;
    const b = rows.get("parted_b")!.xid_age!;
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(rows.get("parted")!.xid_age).toBe(Math.max(a, b));
    expect(rows.get("purged")!.xid_age).toBeGreaterThan(a);
  });
});
