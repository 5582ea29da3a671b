import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { thresholdsSchema } from "@/lib/config/schema";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/lib/embedded/postgres";
import { catalog } from "@/lib/metrics/catalog";
import { defineMetric } from "@/lib/metrics/define";
import type { MetricResult } from "@/lib/metrics/types";
import { createCollector, type Collector } from "./collector";
import { catalogTasks } from "./definition-tasks";
import type { CollectorTask } from "./types";

// The engine against a server of its own, so it can be stopped and restarted under the collector.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const thresholds = thresholdsSchema.parse({});
/** The live view (sessions, connections, db stats): what these tests watch besides their own tasks. */
const live = catalog.filter((d) => d.lane === "live");

let root: string;
let port: number;
let srv: EmbeddedServer;
let admin: pg.Pool;

async function startServer(): Promise<EmbeddedServer> {
  return startEmbeddedPostgres({ major: 17, dataDir: path.join(root, "data"), port, persistent: true });
}

/** Collects every result, behind a sink that always throws (it must not stop collection). */
function recorder() {
  const results: MetricResult[] = [];
  const throwing = { accept: () => { throw new Error("broken sink"); } };
  const keeping = { accept: (r: MetricResult) => void results.push(r) };
  const ups = () => results.filter((r) => r.metric === "up" && r.status === "ok").map((r) => (r.status === "ok" ? r.rows[0] : null));
  const oks = (metric: string, after = 0) => results.filter((r) => r.metric === metric && r.status === "ok" && r.ts.getTime() >= after);
  return { results, sinks: [throwing, keeping], ups, oks };
}

async function collectorConnections(): Promise<number> {
  const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pgpulse'");
  return rows[0].n;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-collector-"));
  await chmod(root, 0o755);
  const first = await startEmbeddedPostgres({ major: 17, dataDir: path.join(root, "data"), persistent: true });
  port = first.port;
  srv = first;
  admin = new pg.Pool({ connectionString: srv.url(), max: 1 });
  admin.on("error", () => {});
});

afterAll(async () => {
  await admin?.end().catch(() => {});
  await srv?.stop().catch(() => {});
  await rm(root, { recursive: true, force: true });
});

describe("collector engine", () => {
  let collector: Collector | undefined;
  afterEach(async () => {
    await collector?.stop();
    collector = undefined;
  });

  it("reports up, goes down with the error when the target stops, and comes back by itself", async () => {
    const rec = recorder();
    collector = createCollector({
      target: { id: "updown", name: "updown", url: srv.url() },
      thresholds,
      sinks: rec.sinks,
      tasks: catalogTasks(live),
      intervals: { stat_activity: 500 },
    });
    collector.start();
    await expect.poll(() => collector!.snapshot().up, { timeout: 10_000 }).toBe(true);
    // With the server it reached: what other instances show of the target from the store.
    expect(rec.ups()[0]).toEqual({ up: 1, error: null, server_version: expect.stringMatching(/^17\./), role: "primary" });
    expect(collector.snapshot().capabilities?.serverVersionNum).toBeGreaterThanOrEqual(170000);
    await expect.poll(() => rec.oks("stat_activity").length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);

    await admin.end();
    await srv.stop();
    await expect.poll(() => collector!.snapshot().up, { timeout: 10_000 }).toBe(false);
    const down = collector.snapshot();
    expect(down.downSince).toBeInstanceOf(Date);
    expect(down.lastError).toMatch(/ECONNREFUSED|ECONNRESET|shutting down|terminat|connect/i);
    const lastUp = rec.ups().at(-1);
    expect(lastUp?.up).toBe(0);
    expect(lastUp?.error).toBe(down.lastError);
    // Down, it still names the server last reached, as the snapshot's capabilities do.
    expect(lastUp?.server_version).toBe(down.capabilities?.serverVersion);
    expect(collector.snapshot().up).toBe(false);

    // Stay down a while: the probe keeps retrying, nothing throws, up stays 0.
    const lastSample = collector.snapshot().lastSampleAt;
    await sleep(2_500);
    expect(collector.snapshot().up).toBe(false);
    expect(collector.snapshot().lastSampleAt).toEqual(lastSample);
    expect(rec.ups().filter((u) => u?.up === 0).length).toBeGreaterThanOrEqual(2);

    srv = await startServer();
    admin = new pg.Pool({ connectionString: srv.url(), max: 1 });
    admin.on("error", () => {});
    const restartedAt = Date.now();
    await expect.poll(() => collector!.snapshot().up, { timeout: 10_000 }).toBe(true);
    expect(collector.snapshot().downSince).toBeNull();
    expect(collector.snapshot().lastError).toBeNull();
    expect(rec.ups().at(-1)).toMatchObject({ up: 1, error: null, role: "primary" });
    await expect.poll(() => rec.oks("stat_activity", restartedAt).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);

    await collector.stop();
    collector = undefined;
  });

  it("survives pg_terminate_backend of its own backends, idle or mid-query: the next cycle succeeds", async () => {
    const rec = recorder();
    const slow = defineMetric({
      id: "slow",
      description: "one second of work",
      scope: "database",
      lane: "bulk",
      intervalMs: 1_200,
      timeoutMs: 5_000,
      sql: { 130000: "/* pgpulse */ SELECT pg_sleep(1)::text AS x" },
      row: z.object({ x: z.string() }),
      labels: [],
      counters: [],
      gauges: [],
    });
    collector = createCollector({
      target: { id: "terminate", name: "terminate", url: srv.url() },
      thresholds,
      sinks: rec.sinks,
      tasks: catalogTasks([...live, slow]),
      intervals: { stat_activity: 500 },
    });
    collector.start();
    await expect.poll(() => rec.oks("stat_activity").length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    // Wait until the bulk connection is mid-query, then terminate every collector backend.
    await expect
      .poll(async () => (await admin.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'pgpulse' AND query LIKE '%pg_sleep(1)%' AND state = 'active'")).rowCount, { timeout: 5_000, interval: 50 })
      .toBe(1);
    const { rows } = await admin.query(
      "SELECT pid, pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'pgpulse'",
    );
    expect(rows.length).toBe(2);
    const killedAt = Date.now();
    await expect.poll(() => rec.results.find((r) => r.metric === "slow" && r.status === "error"), { timeout: 5_000 }).toMatchObject({ code: "57P01" });
    await expect.poll(() => rec.oks("stat_activity", killedAt).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => rec.oks("slow", killedAt).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    // The terminated query triggered a re-check, which found the target up: no outage recorded.
    expect(rec.ups().length).toBeGreaterThanOrEqual(2);
    expect(rec.ups().every((u) => u?.up === 1)).toBe(true);
    expect(collector.snapshot().up).toBe(true);
    const after = await admin.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'pgpulse'");
    const killed = new Set(rows.map((r) => r.pid));
    expect(after.rows.some((r) => killed.has(r.pid))).toBe(false);
    await collector.stop();
    collector = undefined;
  });

  it("a session the server terminates during the very first check is retried on a fresh one, not an outage", async () => {
    // A login trigger (PostgreSQL 17) ends the first pgpulse session of this database while an
    // "armed" session is there, ending that one first (and waiting for it to go), so the next
    // login passes. pgpulse's sessions are read-only: the trigger can only read and signal.
    await admin.query("DROP DATABASE IF EXISTS first_check");
    await admin.query("CREATE DATABASE first_check");
    const url = Object.assign(new URL(srv.url()), { pathname: "/first_check" }).toString();
    const armed = new pg.Client({ connectionString: url, application_name: "armed" });
    await armed.connect();
    // The first error is the termination; the socket's close that follows is another.
    const disarmed = new Promise<string>((resolve) => armed.on("error", (e: Error & { code?: string }) => resolve(String(e.code))));
    await armed.query(`
      CREATE FUNCTION end_first_pgpulse_session() RETURNS event_trigger LANGUAGE plpgsql AS $$
      DECLARE holder int;
      BEGIN
        SELECT pid INTO holder FROM pg_stat_activity WHERE application_name = 'armed' AND datname = current_database();
        IF current_setting('application_name') = 'pgpulse' AND holder IS NOT NULL THEN
          PERFORM pg_terminate_backend(holder, 5000);
          PERFORM pg_terminate_backend(pg_backend_pid());
        END IF;
      END $$;
      CREATE EVENT TRIGGER end_first_pgpulse_session ON login EXECUTE FUNCTION end_first_pgpulse_session();`);
    const rec = recorder();
    collector = createCollector({ target: { id: "first", name: "first", url }, thresholds, sinks: rec.sinks, tasks: catalogTasks(live) });
    collector.start();
    // The trigger did end a session: the retry is what kept the target from reading as down.
    expect(await disarmed).toBe("57P01");
    await expect.poll(() => collector!.snapshot().up, { timeout: 10_000 }).toBe(true);
    expect(rec.ups()).toEqual([expect.objectContaining({ up: 1 })]);
    await collector.stop();
    collector = undefined;
  });

  it("re-runs the server probe on its cadence and picks up a new extension", async () => {
    const rec = recorder();
    collector = createCollector({
      target: { id: "caps", name: "caps", url: srv.url() },
      thresholds,
      sinks: rec.sinks,
      tasks: [],
      intervals: { server: 500 },
    });
    collector.start();
    await expect.poll(() => collector!.snapshot().up, { timeout: 10_000 }).toBe(true);
    expect(collector.snapshot().capabilities?.extensions.pgstattuple).toBeUndefined();
    await admin.query("CREATE EXTENSION pgstattuple");
    try {
      await expect.poll(() => collector!.snapshot().capabilities?.extensions.pgstattuple?.schema, { timeout: 5_000 }).toBe("public");
      expect(collector.snapshot().tasks?.server?.runs).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.query("DROP EXTENSION pgstattuple");
    }
  });

  it("abandons a run that never settles (watchdog) and keeps collecting", async () => {
    const rec = recorder();
    const stuck: CollectorTask = { id: "stuck", intervalMs: 60_000, timeoutMs: 100, lane: "bulk", run: () => new Promise(() => {}) };
    collector = createCollector({
      target: { id: "stuck", name: "stuck", url: srv.url() },
      thresholds,
      sinks: rec.sinks,
      tasks: [...catalogTasks(live), stuck],
      intervals: { stat_activity: 500 },
      watchdogMarginMs: 400,
    });
    collector.start();
    await expect.poll(() => rec.results.find((r) => r.metric === "stuck"), { timeout: 5_000 }).toMatchObject({
      status: "error",
      code: "PGPULSE_WATCHDOG",
    });
    const at = Date.now();
    await expect.poll(() => rec.oks("stat_activity", at).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    expect(collector.snapshot().up).toBe(true);
    // The slot is free again: a new run starts (and is abandoned in turn).
    const again = await collector.runNow("stuck");
    expect(again).toMatchObject({ status: "error", code: "PGPULSE_WATCHDOG" });
    await collector.stop();
    collector = undefined;
  });

  it("a hanging task does not hold up stat_activity, overruns are skipped, and at most 2 connections are used", async () => {
    const rec = recorder();
    // A bulk task that sleeps past its statement timeout every time.
    const hang = defineMetric({
      id: "hang",
      description: "sleeps past its timeout",
      scope: "database",
      lane: "bulk",
      intervalMs: 800,
      timeoutMs: 1_500,
      sql: { 130000: "/* pgpulse */ SELECT pg_sleep(10)::text AS x" },
      row: z.object({ x: z.string() }),
      labels: [],
      counters: [],
      gauges: [],
    });
    // A requirement the target lacks: reported as unavailable, not as an error.
    const needsExt = { ...hang, id: "needs_ext", intervalMs: 60_000, requires: { extensions: ["pgstattuple"] } };
    const tasks = catalogTasks([...live, hang, needsExt]);
    collector = createCollector({
      target: { id: "hang", name: "hang", url: srv.url() },
      thresholds,
      sinks: rec.sinks,
      tasks,
      intervals: { stat_activity: 500 },
    });
    collector.start();
    await expect.poll(() => collector!.snapshot().up, { timeout: 10_000 }).toBe(true);
    const from = Date.now();
    let maxConnections = 0;
    while (Date.now() - from < 4_500) {
      maxConnections = Math.max(maxConnections, await collectorConnections());
      await sleep(100);
    }
    // stat_activity kept its 500 ms (±10 %) cadence while "hang" held the other connection.
    expect(rec.oks("stat_activity", from).length).toBeGreaterThanOrEqual(7);
    const hangs = rec.results.filter((r) => r.metric === "hang");
    expect(hangs.length).toBeGreaterThanOrEqual(2);
    expect(hangs.every((r) => r.status === "error" && r.code === "57014")).toBe(true);
    expect(collector.snapshot().tasks?.hang?.overruns).toBeGreaterThanOrEqual(1);
    expect(collector.snapshot().up).toBe(true);
    expect(maxConnections).toBeGreaterThanOrEqual(1);
    expect(maxConnections).toBeLessThanOrEqual(2);
    const unavailable = rec.results.find((r) => r.metric === "needs_ext");
    expect(unavailable).toMatchObject({ status: "unavailable", reason: expect.stringContaining("pgstattuple") });
    expect(collector.snapshot().targetId).toBe("hang");
    // runNow joins or starts a run and returns its result.
    const now = await collector.runNow("connections");
    expect(now.status).toBe("ok");
    await collector.stop();
    collector = undefined;
  });
});
