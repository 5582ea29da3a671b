import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probe } from "@/lib/collector/probe";
import type { Capabilities } from "@/lib/collector/types";
import { createTargetPool } from "@/lib/db/pool";
import { runMetric } from "@/lib/metrics/run";
import type { MetricDefinition, MetricResult } from "@/lib/metrics/types";
import { createTestDatabase, SUPPORTED_MAJORS, type TestDatabase } from "@/test/db";
import { until } from "@/test/support/wait";
import { connections, type ConnectionsRow } from "./connections";
import { dbSize, type DbSizeRow } from "./db-size";
import { dbStats, type DbStatsRow } from "./db-stats";
import { server, type ServerRow } from "./server";
import { statActivity, type StatActivityRow } from "./stat-activity";

// The four live groups against a real server of every supported major, as the superuser.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rowsOf<R>(pool: pg.Pool, def: MetricDefinition, caps: Capabilities): Promise<R[]> {
  const res: MetricResult = await runMetric(pool, def, caps, "t");
  if (res.status !== "ok") throw new Error(`${def.id}: ${res.status === "error" ? res.error : res.reason}`);
  return res.rows as R[];
}

describe.each(SUPPORTED_MAJORS)("live metrics on PostgreSQL %i", (major) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let caps: Capabilities;
  const clients: pg.Client[] = [];

  async function session(app: string): Promise<{ c: pg.Client; pid: number }> {
    const c = new pg.Client({ connectionString: db.url, application_name: app });
    await c.connect();
    c.on("error", () => {});
    clients.push(c);
    const { rows } = await c.query("SELECT pg_backend_pid() AS pid");
    return { c, pid: rows[0].pid };
  }

  beforeAll(async () => {
    db = await createTestDatabase(major);
    pool = createTargetPool({ url: db.url, max: 2 });
    const out = await probe(pool, "t", () => new Date());
    if (!out.caps) throw new Error(`probe failed: ${JSON.stringify(out.result)}`);
    caps = out.caps;
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.end()));
    await pool?.end();
    await db?.drop();
  });

  it("server: version, settings, extensions, roles and guideline objects", async () => {
    const [r0] = await rowsOf<ServerRow>(pool, server, caps);
    expect(Math.floor(r0.server_version_num / 10000)).toBe(major);
    expect(r0.database).toBe(db.name);
    expect(r0.user).toBe("postgres");
    expect(r0.is_superuser).toBe(true);
    expect(r0.max_connections).toBe(200);
    expect(r0.reserved_connections === null).toBe(major < 16);
    expect(r0.uptime_seconds).toBeGreaterThan(0);
    expect(r0.shared_buffers_bytes).toBeGreaterThanOrEqual(128 * 1024);
    expect(r0.track_io_timing).toBe("on");
    expect(r0.roles).toContain("pg_monitor");
    expect(r0.extensions.map((e) => e.name)).toContain("plpgsql");
    expect([r0.has_performance_metrics, r0.has_slow_query_log, r0.has_column_stats]).toEqual([false, false, false]);

    const { c } = await session("setup");
    await c.query("CREATE EXTENSION pg_stat_statements");
    await c.query(`CREATE VIEW performance_metrics AS
      SELECT schemaname, relname, seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables`);
    await c.query(`CREATE TABLE slow_query_log (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), query_text text,
      execution_time interval, captured_at timestamptz DEFAULT current_timestamp)`);
    await c.query("CREATE SCHEMA pgpulse");
    await c.query("CREATE FUNCTION pgpulse.column_stats() RETURNS int LANGUAGE sql AS 'SELECT 1'");
    const out = await probe(pool, "t", () => new Date());
    expect(out.caps?.objects).toEqual({ performance_metrics: true, slow_query_log: true, backup_log: false, pgpulse_column_stats: true });
    expect(out.caps?.extensions.pg_stat_statements?.schema).toBe("public");
    expect(out.caps?.extensions.pg_stat_statements?.version).toMatch(/^1\.\d+$/);
  });

  it("stat_activity: a running query, a lock wait with its blocker, and not our own sessions", async () => {
    const setup = (await session("setup")).c;
    await setup.query("CREATE TABLE IF NOT EXISTS locked (id int)");
    const sleeper = await session("sleeper");
    const locker = await session("locker");
    const waiter = await session("waiter");
    const sleeping = sleeper.c.query("SELECT pg_sleep(1.5)").catch(() => {});
    await locker.c.query("BEGIN; LOCK TABLE locked IN ACCESS EXCLUSIVE MODE");
    const waiting = waiter.c.query("SELECT count(*) FROM locked").catch(() => {});
    await sleep(600);

    const rows = await rowsOf<StatActivityRow>(pool, statActivity, caps);
    const byPid = new Map(rows.map((r) => [r.pid, r]));
    const s = byPid.get(sleeper.pid);
    expect(s?.state).toBe("active");
    expect(s?.query).toContain("pg_sleep(1.5)");
    expect(s?.query_ms).toBeGreaterThan(400);
    expect(s?.hidden).toBe(false);
    expect(s?.datname).toBe(db.name);
    expect(s?.query_id === null).toBe(major < 14);

    const w = byPid.get(waiter.pid);
    expect(w?.wait_event_type).toBe("Lock");
    expect(w?.blocked_by).toEqual([locker.pid]);
    expect(w?.lock_wait_ms).toBeGreaterThan(300);
    const l = byPid.get(locker.pid);
    expect(l?.state).toBe("idle in transaction");
    expect(l?.xact_ms).toBeGreaterThan(400);
    expect(l?.blocked_by).toEqual([]);

    // The monitoring pool's own backends are never listed.
    const own = await pool.query("SELECT pg_backend_pid() AS pid");
    expect(byPid.has(own.rows[0].pid)).toBe(false);
    // In this database only: other test files' pgpulse processes share the server, and their
    // sessions are not this process's own.
    expect(rows.some((r) => r.application_name === "pgpulse" && r.datname === db.name)).toBe(false);
    expect(rows.every((r) => !r.hidden)).toBe(true);

    const series = Object.fromEntries(statActivity.toSeries!(rows).map((x) => [x.name, x.value]));
    expect(series["stat_activity.blocked"]).toBeGreaterThanOrEqual(1);
    expect(series["stat_activity.waiting_lock"]).toBeGreaterThanOrEqual(1);
    expect(series["stat_activity.longest_lock_wait_seconds"]).toBeGreaterThan(0.3);
    expect(series["stat_activity.longest_query_seconds"]).toBeGreaterThan(0.4);

    await locker.c.query("ROLLBACK");
    await Promise.all([sleeping, waiting]);
  });

  it("db_stats: commits in a fresh database show up as counter growth", async () => {
    const before = (await rowsOf<DbStatsRow>(pool, dbStats, caps)).find((r) => r.datname === db.name);
    expect(before).toBeDefined();
    const { c } = await session("writer");
    await c.query("CREATE TABLE IF NOT EXISTS w (id int)");
    const N = 25;
    for (let i = 0; i < N; i++) await c.query("INSERT INTO w VALUES ($1)", [i]);
    // 15+: shared-memory stats are flushed lazily; ask for it rather than waiting ~1 s.
    if (major >= 15) await c.query("SELECT pg_stat_force_next_flush()");
    // Poll on tup_inserted: only the writer inserts, while our own reads also count as commits.
    await expect
      .poll(
        async () => {
          // 13/14 send a backend's counters at a transaction end at most every 500 ms: nudge it.
          if (major < 15) await c.query("SELECT 1");
          return (await rowsOf<DbStatsRow>(pool, dbStats, caps)).find((r) => r.datname === db.name)?.tup_inserted ?? 0;
        },
        { timeout: 5_000, interval: 300 },
      )
      .toBeGreaterThanOrEqual(before!.tup_inserted + N);
    const rows = await rowsOf<DbStatsRow>(pool, dbStats, caps);
    const after = rows.find((r) => r.datname === db.name)!;
    expect(after.xact_commit).toBeGreaterThanOrEqual(before!.xact_commit + N);
    expect(after.numbackends).toBeGreaterThanOrEqual(2);
    expect(after.xid_age).toBeGreaterThan(0);
    expect(after.sessions === null).toBe(major < 14);
    expect(rows.map((r) => r.datname)).not.toContain("template0");
    expect(rows.map((r) => r.datname)).not.toContain("template1");
    expect(dbStats.counters).toContain("xact_commit");
  });

  it("db_stats: stats_reset_epoch follows pg_stat_reset()", async () => {
    const { c } = await session("resetter");
    const t0 = Date.now() / 1000;
    await c.query("SELECT pg_stat_reset()");
    await expect
      .poll(async () => (await rowsOf<DbStatsRow>(pool, dbStats, caps)).find((r) => r.datname === db.name)?.stats_reset_epoch ?? null, {
        timeout: 5_000,
        interval: 200,
      })
      .toBeGreaterThan(t0 - 2);
  });

  it("db_size: every connectable non-template database, in bytes", async () => {
    const rows = await rowsOf<DbSizeRow>(pool, dbSize, caps);
    const mine = rows.find((r) => r.datname === db.name);
    expect(mine?.bytes).toBeGreaterThan(1024 * 1024);
    expect(rows.map((r) => r.datname)).toContain("postgres");
    expect(rows.map((r) => r.datname)).not.toContain("template1");
  });

  it("connections: slots, reserved slots and saturation", async () => {
    const [r] = await rowsOf<ConnectionsRow>(pool, connections, caps);
    expect(r.max_connections).toBe(200);
    expect(r.superuser_reserved_connections).toBe(3);
    expect(r.reserved_connections).toBe(major >= 16 ? 0 : null);
    expect(r.usable).toBe(197);
    expect(r.total).toBeGreaterThanOrEqual(1);
    expect(r.active).toBeGreaterThanOrEqual(1); // this very query
    expect(r.total).toBe(r.active + r.idle + r.idle_in_transaction + r.idle_in_transaction_aborted + r.other + r.unknown);
    expect(r.saturation).toBeCloseTo(r.total / 197, 10);
  });

  it("connections: a session still authenticating is counted in a part too (PostgreSQL 18 lists it as starting)", async () => {
    // A client that sends its start-up message and never answers the password request: the
    // backend waits in authentication, which PostgreSQL 18 shows with state 'starting'.
    const url = new URL(db.url);
    const socket = net.connect(Number(url.port), url.hostname);
    socket.on("error", () => {});
    try {
      const params = Buffer.from(`user\0${decodeURIComponent(url.username)}\0database\0${db.name}\0\0`);
      const startup = Buffer.alloc(8 + params.length);
      startup.writeInt32BE(startup.length, 0);
      startup.writeInt32BE(196608, 4); // protocol 3.0
      params.copy(startup, 8);
      const asked = new Promise<string>((resolve) => socket.once("data", (d: Buffer) => resolve(String.fromCharCode(d[0]))));
      socket.write(startup);
      expect(await asked).toBe("R"); // an authentication request: the backend now waits for us
      const r = await until("the connections row", async () => {
        const [row] = await rowsOf<ConnectionsRow>(pool, connections, caps);
        return major < 18 || row.other >= 1 ? row : null;
      });
      expect(r.total).toBe(r.active + r.idle + r.idle_in_transaction + r.idle_in_transaction_aborted + r.other + r.unknown);
      // The sessions read takes it too, with no user and no database yet (listed from 18 on).
      const starting = (await rowsOf<StatActivityRow>(pool, statActivity, caps)).filter((x) => x.state === "starting");
      if (major >= 18) expect(starting.some((x) => x.usename === null && x.datname === null)).toBe(true);
      else expect(starting).toEqual([]);
    } finally {
      socket.destroy();
    }
  });
});
