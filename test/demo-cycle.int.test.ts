import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAlert, listAlerts, type Alert } from "@/lib/alerts/read";
import { RULE_IDS, type RuleId } from "@/lib/alerts/types";
import { configSchema } from "@/lib/config/schema";
import { prepareDemoDatabase, type PreparedDemo } from "@/lib/demo/prepare";
import { startReportsServer, type ReportsServer } from "@/lib/demo/reports-server";
import { kundliRuleOverrides, standbyRuleOverrides } from "@/lib/demo/rule-overrides";
import { configureArchiving, primaryReplicationSettings, startDemoStandby, type DemoStandby } from "@/lib/demo/standby";
import { startWorkload, type Workload, type WorkloadSchedule } from "@/lib/demo/workload";
import { freePort, startRestartablePostgres, type RestartableServer } from "@/lib/embedded/postgres";
import { startPgpulse, type Pgpulse } from "@/lib/server/wiring/compose";
import { removeRoot, tempRoot, until } from "@/test/faults/support";

// The demo's promise, checked end to end on a compressed clock: its workload, against its three
// servers (kundli_db's, its standby, the reports server), makes every rule it claims fire and
// then resolve. Same code as `npm run demo` (the
// servers, the seed, the scenarios and what ends them, pgpulse's whole loop); only the durations
// are test-sized — the schedule in seconds instead of minutes, and the rules' time lines (idle
// 3 s instead of 5 min, a 10 s cache window, …) shortened to match. Thresholds that are not
// durations keep their meaning: the cache ratio line stays 90 %, saturation 80 %.

const MB = 1024 * 1024;
const TABLE_LINE = 24 * MB; // planetary_positions (≈ 45 MB at this seed) is over it all along
const XID_LINE = 200_000;

/** Without the webhook receiver (the demo's own process): no failure window. */
const SCHEDULE: Omit<WorkloadSchedule, "webhookRefusal"> = {
  slow: { startMs: 1_000, everyMs: 1_000, forMs: 3_000, periodMs: 600_000 },
  // After the bloat burst and the import, whose millions of buffer hits would dilute the scans' reads.
  coldScan: { startMs: 25_000, everyMs: 1_500, forMs: 9_000, periodMs: 600_000 },
  bloat: { startMs: 500, holdMs: 15_000, periodMs: 600_000 },
  stagingImport: { startMs: 1_000, holdMs: 10_000, periodMs: 600_000 },
  idleTx: { startMs: 500, holdMs: 6_000, pauseMs: 600_000 },
  longTx: { startMs: 500, holdMs: 12_000, pauseMs: 600_000 },
  lockChain: { startMs: 3_000, holdMs: 6_000, periodMs: 600_000 },
  connectionSurge: { startMs: 4_000, holdMs: 8_000, periodMs: 600_000 },
  reports: { startMs: 1_000, freezeAfterMs: 8_000, restartAfterMs: 12_000, downMs: 6_000, periodMs: 600_000 },
  cacheExpiry: 1_000,
  abandonedSlot: { startMs: 1_000, holdMs: 20_000, periodMs: 600_000 },
  archiveOutage: { startMs: 2_000, holdMs: 12_000, periodMs: 600_000 },
  archiveRetention: { everyMs: 2_000, keep: 8 },
  // Runs at 0.5, 3.5, (6.5 missed), 9.5 s: the newest backup is over 4 s old from 7.5 to 9.5 s.
  backups: { startMs: 500, everyMs: 3_000, missEvery: 4, missOffset: 2 },
  // VACUUM every 20 s: an episode that fires late (a loaded machine) still gets its fix, and the
  // table stays under the table-size line.
  sessions: { churnEveryMs: 500, churnRows: 1_000, vacuumAtMs: 20_000, periodMs: 20_000 },
  // Six CHECKPOINTs in 6 s: the rule fires at once and resolves when they leave its window.
  checkpointBurst: { startMs: 500, everyMs: 1_000, forMs: 6_000, periodMs: 600_000 },
  legacySequence: { startMs: 1_000, holdMs: 10_000, periodMs: 600_000 },
  replayPause: { startMs: 2_000, holdMs: 12_000, periodMs: 600_000 },
  standbyCut: { startMs: 18_000, holdMs: 10_000, periodMs: 600_000 },
};

/** The rules' durations shrunk like the schedule; every rule on, for both targets. */
const RULES = {
  slow_query: { keepFiringForSeconds: 4 },
  index_bloat: { minIndexBytes: 1 * MB },
  cache_hit_ratio: { windowSeconds: 8 },
  target_down: { forSeconds: 2 },
  connection_saturation: { forSeconds: 2 },
  idle_in_transaction: { threshold: 3 },
  long_transaction: { threshold: 8 },
  blocked_sessions: { threshold: 3 },
  replication_lag: { threshold: 3, forSeconds: 2 },
  standby_down: { forSeconds: 2 },
  replication_slot_inactive: { forSeconds: 2 },
  archive_failing: { windowSeconds: 10 },
};

/**
 * The lowest checkpoint_timeout PostgreSQL accepts: checkpoints_requested's window (4 of them)
 * is 2 minutes, so its episode takes longest of all.
 */
const CHECKPOINT_TIMEOUT_SECONDS = 30;
/**
 * kundli_db's overrides, as the demo's config has them, shrunk like the rest: durations about
 * 120 times (never under 4 s, a few samples), sizes 4 times like the seed's WAL.
 */
const KUNDLI_RULES = kundliRuleOverrides({
  seconds: (s) => Math.max(4, Math.round(s / 120)),
  bytes: (b) => b / 4,
  checkpointTimeoutSeconds: CHECKPOINT_TIMEOUT_SECONDS,
});
/** One segment every 2 s: the archive outage and the abandoned slot show within seconds. */
const ARCHIVE_TIMEOUT_SECONDS = 2;

const INTERVALS = {
  server: 1_000, stat_activity: 1_000, connections: 1_000, db_stats: 1_000, slow_queries: 1_000, table_stats: 2_000, index_stats: 3_000, index_bloat: 3_000, db_size: 3_000,
  standby_status: 1_000, replication: 1_000, wal: 1_000, replication_slots: 1_000, archiver: 1_000, backups: 1_000, sequences: 1_000, checkpoints: 1_000,
};

/**
 * Where each rule's demo condition shows: target and object (a pid-keyed object is any). Every
 * rule listed here must fire and resolve.
 */
const EXPECTED: Partial<Record<RuleId, { target: string; object?: string }>> = {
  slow_query: { target: "kundli" },
  table_size: { target: "kundli", object: "public.chart_import_staging" },
  index_bloat: { target: "kundli", object: "public.query_cache_pkey" },
  cache_hit_ratio: { target: "kundli", object: "db:kundli_db" },
  target_down: { target: "reports", object: "target" },
  connection_saturation: { target: "kundli", object: "connections" },
  idle_in_transaction: { target: "kundli" },
  long_transaction: { target: "kundli" },
  blocked_sessions: { target: "kundli", object: "locks" },
  xid_wraparound: { target: "reports", object: "db:kundli_reports" },
  replication_slot_inactive: { target: "kundli", object: "slot:analytics_replica" },
  archive_failing: { target: "kundli", object: "archiver" },
  archive_stale: { target: "kundli", object: "archiver" },
  backup_stale: { target: "kundli", object: "backups" },
  vacuum_behind: { target: "kundli", object: "table:public.user_sessions" },
  sequence_exhaustion: { target: "kundli", object: "sequence:public.sms_outbox_id_seq" },
  replication_lag: { target: "standby", object: "replay" },
  standby_down: { target: "standby", object: "receiver" },
  checkpoints_requested: { target: "kundli", object: "checkpoints" },
};

let root: string;
let main: RestartableServer;
let reports: ReportsServer;
let standby: DemoStandby;
let demo: PreparedDemo;
let rt: Pgpulse;
let workload: Workload;
const lines: string[] = [];

beforeAll(async () => {
  root = await tempRoot("demo-cycle");
  // Like the demo's server, scaled with the seed: planetary_positions (≈ 30 MB of heap) is more
  // than a quarter of shared_buffers, so the report's full scan goes through a ring and reads,
  // while everything else stays cached. 100 connections, as in the demo.
  const settings = {
    shared_preload_libraries: "pg_stat_statements", shared_buffers: "96MB", max_connections: 100, "pg_stat_statements.track": "all",
    ...primaryReplicationSettings(ARCHIVE_TIMEOUT_SECONDS),
    checkpoint_timeout: CHECKPOINT_TIMEOUT_SECONDS,
  };
  const mainDir = path.join(root, "main");
  const archiveDir = path.join(root, "archive");
  [main, reports] = await Promise.all([
    startRestartablePostgres({ dataDir: mainDir, settings }),
    startReportsServer({ dataDir: path.join(root, "reports"), monitorPassword: "cycle-monitor-pw" }),
  ]);
  await configureArchiving(main.url(), archiveDir, mainDir);
  demo = await prepareDemoDatabase({ server: main, seedScale: 0.15, monitorPassword: "cycle-monitor-pw" });
  // The seed leaves the table it just wrote in shared_buffers; on the demo's server, long after
  // its seed, it is on disk. The standby's cold copy restarts the primary, which empties the
  // cache (same port: the URLs stay valid).
  standby = await startDemoStandby({
    primary: main, primaryDir: mainDir, standbyDir: path.join(root, "standby"), port: await freePort(), monitorUrl: demo.monitorUrl, database: "kundli_db", log: (l) => lines.push(l),
  });
  expect(standby.error).toBeUndefined();
  const config = configSchema.parse({
    targets: [
      { id: "kundli", name: "kundli_db", url: demo.monitorUrl, thresholds: { tableSizeBytes: TABLE_LINE }, rules: KUNDLI_RULES },
      { id: "standby", name: "kundli_db standby", url: standby.monitorUrl, rules: standbyRuleOverrides() },
      { id: "reports", name: "kundli_reports", url: reports.monitorUrl, rules: { xid_wraparound: { threshold: XID_LINE } } },
    ],
    rules: RULES,
  });
  rt = await startPgpulse({ config, storeUrl: demo.storeUrl, version: "demo-cycle-test", log: pino({ level: "silent" }), intervals: INTERVALS });
  workload = await startWorkload({
    url: demo.adminUrl,
    rate: 30,
    log: (l) => lines.push(l),
    schedule: SCHEDULE,
    bloatRows: 150_000,
    tableSizeBytes: TABLE_LINE,
    importBatchRows: 4_000,
    importPauseMs: 500,
    reports,
    etlXids: Math.round(XID_LINE * 1.5),
    archiveDir,
    standby,
  });
}, 120_000);

afterAll(async () => {
  await workload?.stop();
  await rt?.stop();
  await reports?.stop();
  await standby?.stop();
  await main?.stop();
  await removeRoot(root);
});

const episodesOf = async (rule: RuleId): Promise<Alert[]> => {
  const { target, object } = EXPECTED[rule]!;
  const all = await listAlerts(rt.store.pool, { rule, target, state: ["pending", "firing", "resolved", "inactive"] });
  return all.filter((a) => object === undefined || a.objectKey === object);
};

describe("the demo workload", () => {
  it("makes every default rule fire and then resolve", async () => {
    const pending = new Set<RuleId>(RULE_IDS.filter((id) => EXPECTED[id]));
    try {
      await until(
        "every rule fired and resolved",
        async () => {
          for (const rule of [...pending]) {
            const done = (await episodesOf(rule)).some((a) => a.state === "resolved" && a.firedAt !== null && a.resolvedAt! > a.firedAt);
            if (done) pending.delete(rule);
          }
          return pending.size === 0;
        },
        // checkpoints_requested needs its 2-minute window to pass the burst.
        200_000,
        1_000,
      );
    } catch (e) {
      const seen = await listAlerts(rt.store.pool, { state: ["pending", "firing", "resolved", "inactive"] });
      const tasks = [...rt.collectors].map(([id, c]) => `${id}: ${JSON.stringify(c.snapshot().tasks)}`);
      throw new Error(
        `${(e as Error).message}; still waiting for: ${[...pending].join(", ")}\n` +
          `alerts:\n${seen.map((a) => `${a.rule} ${a.targetId} ${a.objectKey} ${a.state} ${a.value}`).join("\n")}\n` +
          `workload log:\n${lines.join("\n")}\ncollector tasks:\n${tasks.join("\n")}`,
      );
    }
    // True on both sides: the value that fired is past the line, the one that resolved it back
    // past the clear line (cache ratio: < 90 % then > 92 %; xid age: > 200 k then < 180 k).
    const crossing = async (rule: RuleId) => {
      const episode = (await episodesOf(rule)).find((a) => a.state === "resolved")!;
      const { events } = (await getAlert(rt.store.pool, episode.id))!;
      return { fired: events.find((e) => e.to === "firing")!.value, resolved: events.find((e) => e.to === "resolved")!.value };
    };
    const cache = await crossing("cache_hit_ratio");
    expect(cache.fired).toBeLessThan(90);
    expect(cache.resolved).toBeGreaterThan(92);
    const xid = await crossing("xid_wraparound");
    expect(xid.fired).toBeGreaterThan(XID_LINE);
    expect(xid.resolved).toBeLessThan(XID_LINE * 0.9);
    const seq = await crossing("sequence_exhaustion");
    expect(seq.fired).toBeGreaterThan(79);
    expect(seq.resolved).toBeLessThan(0.001);
    const lag = await crossing("replication_lag");
    expect(lag.fired).toBeGreaterThan(3);
    expect(lag.resolved).toBeLessThan(3);
    expect((await crossing("replication_slot_inactive")).fired).toBeGreaterThan(16 * MB);
    expect((await crossing("vacuum_behind")).fired).toBeGreaterThan(20);
    expect((await crossing("archive_failing")).fired).toBeGreaterThan(0);
    // Most checkpoints requested during the burst; it resolves at or under the clear line (40 %)
    // as the burst's checkpoints leave the window and timed ones enter it.
    const checkpoints = await crossing("checkpoints_requested");
    expect(checkpoints.fired).toBeGreaterThan(50);
    expect(checkpoints.resolved).toBeLessThanOrEqual(40);
    const errors = lines.filter((l) => /failed|error(?!s\b)/.test(l) && !/ 0 errors/.test(l));
    expect(errors).toEqual([]);
  }, 260_000);
});
