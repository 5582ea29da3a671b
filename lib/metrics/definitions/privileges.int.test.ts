import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probe } from "@/lib/collector/probe";
import { createTargetPool } from "@/lib/db/pool";
import { runMetric } from "@/lib/metrics/run";
import { createTestDatabase, SUPPORTED_MAJORS, type TestDatabase } from "@/test/db";
import { connections, type ConnectionsRow } from "./connections";
import { dbSize } from "./db-size";
import { dbStats } from "./db-stats";
import { server } from "./server";
import { statActivity, type StatActivityRow } from "./stat-activity";

// The monitoring role needs pg_monitor, never superuser; without it, other users' sessions are
// hidden by the server and must be counted as hidden, not dropped.

const defs = [server, statActivity, dbStats, dbSize, connections];

describe.each(SUPPORTED_MAJORS)("monitoring privileges on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let admin: pg.Client;
  let sleeper: pg.Client;
  let sleeperPid: number;
  let sleeping: Promise<unknown>;
  const suffix = randomBytes(4).toString("hex");
  const monitor = `mon_${suffix}`;
  const plain = `plain_${suffix}`;
  const pools: pg.Pool[] = [];

  function poolAs(role: string): pg.Pool {
    const u = new URL(db.url);
    u.username = role;
    u.password = "pw";
    const pool = createTargetPool({ url: u.toString(), max: 1 });
    pools.push(pool);
    return pool;
  }

  beforeAll(async () => {
    db = await createTestDatabase(major);
    admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE ${monitor} LOGIN PASSWORD 'pw' IN ROLE pg_monitor`);
    await admin.query(`CREATE ROLE ${plain} LOGIN PASSWORD 'pw'`);
    sleeper = new pg.Client({ connectionString: db.url, application_name: "app-under-watch" });
    await sleeper.connect();
    sleeperPid = (await sleeper.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    sleeping = sleeper.query("SELECT pg_sleep(2)").catch(() => {});
    await new Promise((r) => setTimeout(r, 200));
  });

  afterAll(async () => {
    await sleeping;
    await Promise.allSettled(pools.map((p) => p.end()));
    await sleeper?.end();
    await db?.drop();
    await admin?.query(`DROP ROLE IF EXISTS ${monitor}`);
    await admin?.query(`DROP ROLE IF EXISTS ${plain}`);
    await admin?.end();
  });

  it("a role with only pg_monitor runs all four groups and sees other users' sessions", async () => {
    const pool = poolAs(monitor);
    const { caps } = await probe(pool, "t", () => new Date());
    expect(caps?.isSuperuser).toBe(false);
    expect(caps?.roles).toEqual(expect.arrayContaining(["pg_monitor", "pg_read_all_stats", "pg_stat_scan_tables"]));
    for (const def of defs) {
      const res = await runMetric(pool, def, caps!, "t");
      expect({ id: def.id, status: res.status }).toEqual({ id: def.id, status: "ok" });
      if (res.status === "ok") expect(res.rows.length).toBeGreaterThan(0);
    }
    const res = await runMetric(pool, defs[1], caps!, "t");
    const row = res.status === "ok" ? (res.rows as StatActivityRow[]).find((r) => r.pid === sleeperPid) : undefined;
    expect(row).toMatchObject({ hidden: false, state: "active", application_name: "app-under-watch" });
    expect(row?.query).toContain("pg_sleep");
  });

  it("a role without pg_monitor sees other users' sessions hidden, and they are counted", async () => {
    const pool = poolAs(plain);
    const { caps } = await probe(pool, "t", () => new Date());
    expect(caps?.roles).toEqual([]);
    const res = await runMetric(pool, defs[1], caps!, "t");
    expect(res.status).toBe("ok");
    const rows = res.status === "ok" ? (res.rows as StatActivityRow[]) : [];
    const row = rows.find((r) => r.pid === sleeperPid);
    expect(row).toMatchObject({ hidden: true, state: null, query: "<insufficient privilege>", blocked_by: [], query_ms: null });
    // application_name stays visible: the filter on our own sessions still works for hidden rows.
    expect(row?.application_name).toBe("app-under-watch");
    const series = Object.fromEntries(statActivity.toSeries!(rows).map((s) => [s.name, s.value]));
    expect(series["stat_activity.hidden"]).toBe(rows.filter((r) => r.hidden).length);
    expect(series["stat_activity.hidden"]).toBeGreaterThanOrEqual(1);
    expect(series["stat_activity.total"]).toBe(rows.length);

    const conn = await runMetric(pool, defs[4], caps!, "t");
    const c = conn.status === "ok" ? (conn.rows[0] as ConnectionsRow) : null;
    expect(c?.unknown).toBeGreaterThanOrEqual(1);
    expect(c?.total).toBeGreaterThanOrEqual(2);
    // The others run too: pg_stat_database and sizes of databases open to PUBLIC need no grant.
    for (const def of [defs[0], defs[2], defs[3]]) expect((await runMetric(pool, def, caps!, "t")).status).toBe("ok");
  });
});
