import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULE_DEFAULTS } from "@/lib/alerts/rules";
import { freePort, startRestartablePostgres, type RestartableServer } from "@/lib/embedded/postgres";
import { startChildPgpulse, removeRoot, tempRoot, until, type ChildPgpulse } from "@/test/faults/support";
import { undoInterruptedCycle } from "./clean-start";
import { DEMO_BACKUP_STALE_SECONDS } from "./constants";
import { STAGING_TABLE } from "./maintenance";
import { ABANDONED_SLOT, MIGRATION_SCRATCH_TABLE, SESSIONS_TABLE, archiveCommand, brokenArchiveCommand } from "./operations";
import { prepareDemoDatabase, type PreparedDemo } from "./prepare";
import { startReportsServer, type ReportsServer } from "./reports-server";
import { measureBloat } from "./scenarios";
import { STANDBY_APP, configureArchiving, primaryReplicationSettings, startDemoStandby, type DemoStandby } from "./standby";
import type { WorkloadSchedule } from "./workload";

// A demo killed mid-cycle, then started again: its workload runs in a process of its own until
// every scenario that leaves state has made it, is SIGKILLed (nothing undone), the servers are
// restarted, and the demo's start-up steps run. Before any scenario's time, nothing it made is
// left: the start undid each one.

const MB = 1024 * 1024;
/** Never within this test: scenarios that leave no state stay off. */
const LATER = 600_000;
const held = (startMs: number) => ({ startMs, holdMs: LATER, periodMs: LATER });
const ETL_XIDS = 300_000;

const SCHEDULE: Partial<WorkloadSchedule> = {
  slow: { startMs: LATER, everyMs: LATER, forMs: 1, periodMs: LATER },
  coldScan: { startMs: LATER, everyMs: LATER, forMs: 1, periodMs: LATER },
  connectionSurge: held(LATER),
  archiveRetention: { everyMs: LATER, keep: 8 },
  backups: { startMs: LATER, everyMs: LATER, missEvery: 2, missOffset: 1 },
  // What is held when the process dies.
  bloat: held(200),
  stagingImport: held(200),
  idleTx: { startMs: 200, holdMs: LATER, pauseMs: LATER },
  longTx: { startMs: 200, holdMs: LATER, pauseMs: LATER },
  // After the bloat's purge has been vacuumed: the chain's xids would keep its dead rows.
  lockChain: held(15_000),
  reports: { startMs: 200, freezeAfterMs: LATER, restartAfterMs: LATER, downMs: 1, periodMs: LATER },
  abandonedSlot: held(200),
  archiveOutage: held(200),
  sessions: { churnEveryMs: 300, churnRows: 1_500, vacuumAtMs: LATER, periodMs: LATER },
  // Two steps: the first leaves the scratch table, the second (which drops it) never comes.
  checkpointBurst: { startMs: 200, everyMs: LATER / 2, forMs: LATER, periodMs: LATER },
  legacySequence: held(200),
  replayPause: held(200),
  standbyCut: held(200),
};

/** A log line of each condition made (the workload's own words). */
const MADE = [
  "cache purge left", "partner import staged", "idle-in-transaction session", "long transaction (pid", "lock chain", "reporting ETL committed",
  `slot ${ABANDONED_SLOT} left behind`, "archive_command now points", "migration step 1/2", "imported with int4 ids", "replay paused", "standby is cut off",
];

let root: string;
let main: RestartableServer;
let reports: ReportsServer;
let standby: DemoStandby | undefined;
let demo: PreparedDemo;
let archiveDir: string;
let mainDir: string;
let standbyPort: number;
let child: ChildPgpulse | undefined;

const startStandby = () =>
  startDemoStandby({ primary: main, primaryDir: mainDir, standbyDir: path.join(root, "standby"), port: standbyPort, monitorUrl: demo.monitorUrl, database: "kundli_db", log: () => {} });

beforeAll(async () => {
  root = await tempRoot("demo-clean-start");
  mainDir = path.join(root, "main");
  archiveDir = path.join(root, "archive");
  const settings = { shared_preload_libraries: "pg_stat_statements", max_connections: 100, ...primaryReplicationSettings(2) };
  [main, reports] = await Promise.all([
    startRestartablePostgres({ dataDir: mainDir, settings }),
    startReportsServer({ dataDir: path.join(root, "reports"), monitorPassword: "clean-start-pw" }),
  ]);
  await configureArchiving(main.url(), archiveDir, mainDir);
  demo = await prepareDemoDatabase({ server: main, seedScale: 0.01, monitorPassword: "clean-start-pw" });
  standbyPort = await freePort();
  standby = await startStandby();
  expect(standby.error).toBeUndefined();
  // The last backup of a demo stopped two hours ago.
  await q(demo.adminUrl, `INSERT INTO backup_log (label, started_at, finished_at, ok, size_bytes, tool)
    VALUES ('nightly-earlier', now() - interval '2 hours', now() - interval '2 hours' + interval '40 seconds', true, 1, 'demo-backup')`);
}, 180_000);

afterAll(async () => {
  if (child) process.kill(child.pid, "SIGKILL");
  await standby?.stop();
  await reports?.stop();
  await main?.stop();
  await removeRoot(root);
});

async function q<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** The dead share of user_sessions, in % (vacuum_behind's value). */
const sessionsDeadPct = async () =>
  (await q<{ p: number }>(demo.adminUrl, `SELECT (n_dead_tup * 100.0 / nullif(n_live_tup + n_dead_tup, 0))::float8 AS p FROM pg_stat_user_tables WHERE relname = '${SESSIONS_TABLE}'`))[0].p;

/** What each scenario leaves, read from the servers. */
async function leftovers() {
  const k = demo.adminUrl;
  const one = async <R extends pg.QueryResultRow>(url: string, sql: string) => (await q<R>(url, sql))[0];
  const c = new pg.Client({ connectionString: k });
  await c.connect();
  const bloat = await measureBloat(c).finally(() => c.end());
  return {
    sequencePct: (await one<{ p: number }>(k, `SELECT last_value::float8 / max_value * 100 AS p FROM pg_sequences WHERE sequencename = 'sms_outbox_id_seq'`)).p,
    slot: (await one<{ n: number }>(k, `SELECT count(*)::int AS n FROM pg_replication_slots WHERE slot_name = '${ABANDONED_SLOT}'`)).n,
    scratchTable: (await one<{ ok: boolean }>(k, `SELECT to_regclass('${MIGRATION_SCRATCH_TABLE}') IS NOT NULL AS ok`)).ok,
    stagedRows: (await one<{ n: number }>(k, `SELECT count(*)::int AS n FROM ${STAGING_TABLE}`)).n,
    bloatPct: bloat.bloatPct!,
    invalidIndexes: (await one<{ n: number }>(k, `SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'query_cache'::regclass AND NOT indisvalid`)).n,
    archiveCommand: (await one<{ archive_command: string }>(k, `SHOW archive_command`)).archive_command,
    sessionsDeadPct: await sessionsDeadPct(),
    backupAgeSeconds: (await one<{ s: number }>(k, `SELECT extract(epoch FROM now() - max(finished_at))::float8 AS s FROM backup_log WHERE ok`)).s,
    reportsXidAge: (await one<{ a: number }>(reports.url(), `SELECT max(age(datfrozenxid))::int AS a FROM pg_database WHERE datallowconn`)).a,
    standbyLinkPort: Number(/port=(\d+)/.exec((await one<{ primary_conninfo: string }>(standby!.adminUrl, `SHOW primary_conninfo`)).primary_conninfo)?.[1]),
    replayPaused: (await one<{ p: boolean }>(standby!.adminUrl, `SELECT pg_is_wal_replay_paused() AS p`)).p,
    streaming: (await one<{ n: number }>(main.url(), `SELECT count(*)::int AS n FROM pg_stat_replication WHERE application_name = '${STANDBY_APP}' AND state = 'streaming'`)).n,
  };
}

describe("a demo stopped mid-cycle", () => {
  it("starts again clean: every condition the stopped run made is undone before its scenario's time", async () => {
    child = startChildPgpulse(
      {
        DEMO_WORKLOAD: JSON.stringify({
          url: demo.adminUrl, rate: 2, schedule: SCHEDULE, bloatRows: 60_000, tableSizeBytes: 2 * MB, importBatchRows: 2_000, importPauseMs: 0, etlXids: ETL_XIDS,
          archiveDir, standby: { adminUrl: standby!.adminUrl, primaryUrl: standby!.primaryUrl, applicationName: standby!.applicationName }, reportsUrl: reports.adminUrl,
        }),
      },
      "test/demo/child-workload.ts",
    );
    const said = () => child!.lines.map((l) => String(l.log ?? ""));
    await until("every scenario's condition made", () => MADE.every((m) => said().some((l) => l.includes(m))), 150_000, 250).catch((e: Error) => {
      throw new Error(`${e.message}\nmissing: ${MADE.filter((m) => !said().some((l) => l.includes(m))).join(", ")}\n${said().join("\n")}\n${child!.output()}`);
    });
    await until("dead sessions past the vacuum rule's line", async () => (await sessionsDeadPct()) > RULE_DEFAULTS.vacuum_behind.threshold, 30_000, 300);
    process.kill(child.pid, "SIGKILL");
    expect((await child.exited).signal).toBe("SIGKILL");
    child = undefined;

    const dirty = await leftovers();
    expect(dirty).toMatchObject({ slot: 1, scratchTable: true, archiveCommand: brokenArchiveCommand(archiveDir), standbyLinkPort: 1, replayPaused: true });
    expect(dirty.sequencePct).toBeGreaterThan(RULE_DEFAULTS.sequence_exhaustion.threshold);
    expect(dirty.stagedRows).toBeGreaterThan(0);
    expect(dirty.bloatPct).toBeGreaterThan(RULE_DEFAULTS.index_bloat.threshold);
    expect(dirty.backupAgeSeconds).toBeGreaterThan(DEMO_BACKUP_STALE_SECONDS);
    expect(dirty.reportsXidAge).toBeGreaterThan(ETL_XIDS * 0.9);
    // The killed process's sessions end with its connections: their locks and transactions go.
    await until("the killed workload's sessions gone", async () => (await q<{ n: number }>(demo.adminUrl, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'kundli-%'`))[0].n === 0, 10_000, 100);
    expect((await q<{ n: number }>(demo.adminUrl, `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`))[0].n).toBe(0);

    // The index_bloat fix killed half-way: REINDEX CONCURRENTLY waits for an older snapshot
    // after building its copy, and its session ends there.
    const snapshot = new pg.Client({ connectionString: demo.adminUrl });
    const reindex = new pg.Client({ connectionString: demo.adminUrl });
    await Promise.all([snapshot.connect(), reindex.connect()]);
    await snapshot.query(`BEGIN ISOLATION LEVEL REPEATABLE READ`);
    await snapshot.query(`SELECT count(*) FROM users`);
    reindex.on("error", () => {});
    const reindexPid = (await reindex.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0].pid;
    const stopped = reindex.query(`REINDEX INDEX CONCURRENTLY query_cache_pkey`).then(() => "finished", (e: Error) => e.message);
    await until("the REINDEX waiting for the older snapshot", async () => (await q<{ phase: string }>(demo.adminUrl, `SELECT phase FROM pg_stat_progress_create_index WHERE pid = ${reindexPid}`))[0]?.phase === "waiting for old snapshots", 30_000, 50);
    await q(demo.adminUrl, `SELECT pg_terminate_backend(${reindexPid})`);
    expect(await stopped).toMatch(/terminat/);
    await snapshot.end();
    await reindex.end().catch(() => {});
    expect((await leftovers()).invalidIndexes).toBe(1);

    // The next `npm run demo`: the servers start, then its start-up steps in its order.
    await standby!.stop();
    await Promise.all([main.stop(), reports.stop()]);
    await Promise.all([main.start(), reports.start()]);
    await configureArchiving(main.url(), archiveDir, mainDir);
    standby = await startStandby();
    expect(standby.error).toBeUndefined();
    const undone = await undoInterruptedCycle({ url: demo.adminUrl, reportsUrl: reports.url });

    const clean = await leftovers();
    expect(clean, undone.join("\n")).toMatchObject({ slot: 0, scratchTable: false, stagedRows: 0, invalidIndexes: 0, archiveCommand: archiveCommand(archiveDir), standbyLinkPort: main.port, replayPaused: false, streaming: 1 });
    expect(clean.sequencePct).toBeLessThan(0.001);
    expect(clean.bloatPct).toBeLessThanOrEqual(RULE_DEFAULTS.index_bloat.threshold);
    expect(clean.sessionsDeadPct).toBeLessThan(RULE_DEFAULTS.vacuum_behind.threshold);
    expect(clean.backupAgeSeconds).toBeLessThan(60);
    expect(clean.reportsXidAge).toBeLessThan(ETL_XIDS / 10);
    expect(undone).toHaveLength(9);
  }, 300_000);
});
