import "server-only";
import pg from "pg";
import { APP_OPS, expireCache, pickOp, type AppContext } from "./app-ops";
import { DEMO_CYCLE_MS, DEMO_ETL_XIDS, DEMO_TABLE_SIZE_BYTES } from "./constants";
import { archivePartnerImport, freezeAllDatabases, reindexConcurrently, runPartnerImport, runPerRowEtl, xidAges } from "./maintenance";
import {
  APP_NAME,
  ETL_APP_NAME,
  MAINTENANCE_APP_NAME,
  REPORT_APP_NAME,
  connect,
  holdIdleTransaction,
  holdLongTransaction,
  measureBloat,
  runCacheBloat,
  runColdScanReport,
  runSlowStatement,
  openConnectionSurge,
  startLockChain,
  withClient,
} from "./scenarios";
import type { ReportsServer } from "./reports-server";
import { scheduleOperations, type DemoStandbyHandle, type OperationsSchedule } from "./operations-schedule";
import { createScheduler, type Burst, type Episode, type Hold } from "./scheduler";
import { scheduleRefusals, type DemoWebhookReceiver } from "./webhook-receiver";

// The demo's traffic: the application's ordinary operations at `rate` per second, and on a
// schedule (lib/demo/scheduler.ts) every condition the default alerts watch, each followed by
// what ends it — first within a few minutes of start, then again and again, so every alert
// both fires and resolves. Errors are logged and the loop goes on; stop() clears every timer
// and closes every connection it opened.

export interface WorkloadSchedule extends OperationsSchedule {
  /** Slow statements come in bursts: slow_query resolves after 10 quiet minutes. */
  slow: Burst;
  /** So do the cold scans: the 5-minute cache hit ratio recovers between bursts. */
  coldScan: Burst;
  /** The cache index is bloated (unless it still is), then rebuilt with REINDEX CONCURRENTLY. */
  bloat: Episode;
  /** The partner import grows its staging table past the size line; the archive step empties it. */
  stagingImport: Episode;
  idleTx: Hold;
  longTx: Hold;
  lockChain: Episode;
  /** Idle batch connections past 85 % of the usable slots (rule: > 80 % for a minute). */
  connectionSurge: Episode;
  /**
   * The reports server, each period: the ETL at `startMs`, the freeze job `freezeAfterMs`
   * later, and `restartAfterMs` later a maintenance restart that keeps it down for `downMs`.
   */
  reports: { startMs: number; freezeAfterMs: number; restartAfterMs: number; downMs: number; periodMs: number };
  cacheExpiry: number;
  /**
   * The demo webhook receiver answers 503 for `holdMs`: one delivery in each cycle is retried.
   * It starts a few minutes in, when the first alerts of a cycle fire, and outlasts the first retry.
   */
  webhookRefusal: Episode;
}

const MIN = 60_000;

// Rules: slow > 1 s (resolves after 10 quiet minutes), cache ratio < 90 % over 5 minutes,
// idle in transaction > 5 min, transaction > 15 min, lock wait > 1 min, target down for 30 s.
// index_bloat is sampled every 10 minutes and table_stats every 2: the bloat is held 20 minutes
// and the staging table 10, so each is seen firing before it is fixed. The bloat burst runs
// before the first lock chain: rows deleted while the chain's transactions hold xids could not
// be vacuumed away.
export const DEFAULT_SCHEDULE: WorkloadSchedule = {
  slow: { startMs: 20_000, everyMs: MIN, forMs: 8 * MIN, periodMs: DEMO_CYCLE_MS },
  coldScan: { startMs: 30_000, everyMs: MIN, forMs: 8 * MIN, periodMs: DEMO_CYCLE_MS },
  bloat: { startMs: 10_000, holdMs: 20 * MIN, periodMs: 40 * MIN },
  stagingImport: { startMs: 2 * MIN, holdMs: 10 * MIN, periodMs: DEMO_CYCLE_MS },
  idleTx: { startMs: 5_000, holdMs: 6.5 * MIN, pauseMs: 30_000 },
  longTx: { startMs: 5_000, holdMs: 20 * MIN, pauseMs: MIN },
  // Every 15 minutes, not 5: the waiting UPDATE is itself a slow statement, and its slow_query
  // alert needs 10 quiet minutes to resolve.
  lockChain: { startMs: 90_000, holdMs: 80_000, periodMs: 15 * MIN },
  connectionSurge: { startMs: 4 * MIN, holdMs: 150_000, periodMs: 15 * MIN },
  reports: { startMs: MIN, freezeAfterMs: 8 * MIN, restartAfterMs: 13 * MIN, downMs: 2 * MIN, periodMs: DEMO_CYCLE_MS },
  cacheExpiry: 30_000,
  webhookRefusal: { startMs: 4 * MIN, holdMs: 90_000, periodMs: DEMO_CYCLE_MS },
  // The operations rules, on the same 30-minute cycle (README: "What the demo shows"). The
  // standby is cut off at minute 23, after the abandoned slot is gone and away from the partner
  // import, so its own slot (inactive meanwhile) stays under the demo's 64 MB slot line.
  abandonedSlot: { startMs: MIN, holdMs: 20 * MIN, periodMs: DEMO_CYCLE_MS },
  archiveOutage: { startMs: 3 * MIN, holdMs: 10 * MIN, periodMs: DEMO_CYCLE_MS },
  archiveRetention: { everyMs: 5 * MIN, keep: 32 },
  // A "night" is 5 minutes; the run at minute 15.5 of each cycle is missed.
  backups: { startMs: 30_000, everyMs: 5 * MIN, missEvery: 6, missOffset: 3 },
  sessions: { churnEveryMs: 30_000, churnRows: 1_500, vacuumAtMs: 25 * MIN, periodMs: DEMO_CYCLE_MS },
  // Six steps, each a CHECKPOINT, against about one timed checkpoint: the alert fires during the
  // burst and resolves when it leaves kundli_db's 20-minute window (DEMO_CHECKPOINT_WINDOW_TIMEOUTS).
  checkpointBurst: { startMs: 4 * MIN, everyMs: 20_000, forMs: 2 * MIN, periodMs: DEMO_CYCLE_MS },
  legacySequence: { startMs: 2 * MIN, holdMs: 20 * MIN, periodMs: DEMO_CYCLE_MS },
  replayPause: { startMs: 8 * MIN, holdMs: 4 * MIN, periodMs: DEMO_CYCLE_MS },
  standbyCut: { startMs: 23 * MIN, holdMs: 3 * MIN, periodMs: DEMO_CYCLE_MS },
};

/** The demo's second server, which the workload stops and starts. */
export type ReportsHandle = Pick<ReportsServer, "url" | "adminUrl" | "running" | "stop" | "start">;

export interface WorkloadOptions {
  /** Superuser or owner URL of kundli_db. */
  url: string;
  /** Application operations per second (default 15). 0 runs the scenarios only. */
  rate?: number;
  log?: (line: string) => void;
  schedule?: Partial<WorkloadSchedule>;
  /** Rows of the cache burst that bloats the cache index (default 200k: index > 10 MB). */
  bloatRows?: number;
  /** The table-size line the staging import must cross (it stops at 1.25 times it). */
  tableSizeBytes?: number;
  /** Rows per import batch (default 10,000 ≈ 10 MB) and the pause between batches (default 8 s). */
  importBatchRows?: number;
  importPauseMs?: number;
  /** Without it, the reports scenarios (ETL, freeze, maintenance restart) do not run. */
  reports?: ReportsHandle;
  /** Transactions per ETL run (default DEMO_ETL_XIDS). */
  etlXids?: number;
  /** The primary's WAL archive folder (archive_mode on): without it, no archive outage. */
  archiveDir?: string;
  /** The standby: without it, no replay pause or cut. */
  standby?: DemoStandbyHandle;
  /** The demo's webhook receiver: without it, no delivery failure window. */
  webhook?: Pick<DemoWebhookReceiver, "refusing">;
}

export interface Workload {
  stop(): Promise<void>;
}

export const DEFAULT_RATE = 15;

export async function startWorkload(opts: WorkloadOptions): Promise<Workload> {
  const log = opts.log ?? (() => {});
  const rate = opts.rate ?? DEFAULT_RATE;
  const sched: WorkloadSchedule = { ...DEFAULT_SCHEDULE, ...opts.schedule };
  const clock = createScheduler(log);
  const pool = new pg.Pool({ connectionString: opts.url, max: 4, application_name: APP_NAME, statement_timeout: 30_000 });
  pool.on("error", (e) => {
    if (!clock.stopped) log(`workload: pool error: ${e.message}`);
  });
  const report = await connect(opts.url, REPORT_APP_NAME);
  // Connections of the jobs in flight: stop() closes them, as it closes `report`.
  const jobs = new Set<pg.Client>();
  const job = <T>(url: string, name: string, fn: (c: pg.Client) => Promise<T>) => withClient(url, name, fn, jobs);
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

  const seed = await pool.query<{ users: number; max_id: string }>(
    `SELECT coalesce((SELECT users FROM demo_seed), (SELECT count(*)::int FROM users)) AS users,
            coalesce((SELECT max(id) FROM birth_charts), 1) AS max_id`,
  );
  const ctx: AppContext = { pool, users: seed.rows[0].users, maxChartId: Number(seed.rows[0].max_id) };
  // Keeps a partition ahead when the demo runs across a month boundary.
  clock.every(0, 6 * 3_600_000, "create_monthly_partition", () => pool.query("CALL create_monthly_partition()"));

  // Application traffic: a tick every 100 ms starts rate/10 operations, never more than a few
  // in flight, so a slow disk turns into a lower rate rather than a pile-up.
  let inFlight = 0;
  let credit = 0;
  const counts = new Map<string, number>(APP_OPS.map(([name]) => [name, 0]));
  let errors = 0;
  if (rate > 0) {
    clock.interval(100, () => {
      credit += rate / 10;
      while (credit >= 1 && inFlight < 8 && !clock.stopped) {
        credit -= 1;
        const [name, op] = pickOp();
        inFlight++;
        op(ctx)
          .then(() => counts.set(name, (counts.get(name) ?? 0) + 1))
          .catch((e) => {
            errors++;
            if (errors <= 5 || errors % 100 === 0) log(`workload: ${name}: ${(e as Error).message} (${errors} errors)`);
          })
          .finally(() => inFlight--);
      }
      credit = Math.min(credit, rate);
    });
    clock.interval(5 * 60_000, () => {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      log(`workload: ${total} application operations so far, ${errors} errors`);
    });
  }

  clock.every(sched.cacheExpiry, sched.cacheExpiry, "cache expiry", () => expireCache(pool));
  clock.burst("slow statement", sched.slow, async () => {
    const ms = await runSlowStatement(pool, 3 + Math.floor(Math.random() * Math.max(1, ctx.users - 3)));
    log(`workload: slow statement took ${(ms / 1000).toFixed(1)} s (recorded in slow_query_log)`);
  });
  clock.burst("cold scan report", sched.coldScan, async () => {
    const r = await runColdScanReport(report);
    log(`workload: sign-distribution report scanned planetary_positions in ${(r.ms / 1000).toFixed(1)} s`);
  });
  // Maintenance jobs and the cache purge get connections of their own (job): a REINDEX
  // CONCURRENTLY that waits for a transaction, or a purge that vacuums until its rows are gone,
  // must not hold up the cold-scan report queued behind it on `report`.
  clock.episodes("cache index bloat", sched.bloat, false, async () => {
    const before = await measureBloat(pool);
    // A bloat still there (the start rebuilds a stopped run's; this one's REINDEX failed) is
    // kept, and fixed on this episode's schedule.
    if (before.bloatPct === null || before.bloatPct < 35 || before.indexBytes < 10 * 1024 * 1024) {
      const r = await job(opts.url, APP_NAME, (c) => runCacheBloat(c, opts.bloatRows ?? 200_000));
      const pct = r.bloatPct === null ? "unknown (pgstattuple missing)" : `${r.bloatPct.toFixed(0)} %`;
      log(`workload: cache purge left ${r.index} at ${mb(r.indexBytes)}, bloat ${pct}; REINDEX in ${seconds(sched.bloat.holdMs)}`);
    } else {
      log(`workload: ${before.index} is still ${before.bloatPct.toFixed(0)} % bloated; REINDEX in ${seconds(sched.bloat.holdMs)}`);
    }
    return async () => {
      const r = await job(opts.url, MAINTENANCE_APP_NAME, (c) => reindexConcurrently(c));
      const pct = r.bloatPct === null ? "unknown" : `${r.bloatPct.toFixed(0)} %`;
      log(`workload: REINDEX INDEX CONCURRENTLY ${r.index}: now ${mb(r.indexBytes)}, bloat ${pct}`);
    };
  });
  clock.episodes("partner import", sched.stagingImport, false, async () => {
    const line = opts.tableSizeBytes ?? DEMO_TABLE_SIZE_BYTES;
    const r = await job(opts.url, APP_NAME, (c) =>
      runPartnerImport(c, { targetBytes: line * 1.25, batchRows: opts.importBatchRows, pauseMs: opts.importPauseMs ?? 8_000, cancelled: () => clock.stopped }),
    );
    if (clock.stopped) return null;
    log(`workload: partner import staged ${r.rows.toLocaleString("en-US")} rows (${mb(r.bytes)}); archived in ${seconds(sched.stagingImport.holdMs)}`);
    return async () => {
      const left = await job(opts.url, MAINTENANCE_APP_NAME, archivePartnerImport);
      log(`workload: partner import merged and archived: staging table now ${mb(left)}`);
    };
  });
  clock.hold("idle-in-transaction session", sched.idleTx, () => holdIdleTransaction(opts.url, 3 + Math.floor(Math.random() * 100)));
  clock.hold("long transaction", sched.longTx, () => holdLongTransaction(opts.url));
  clock.episodes("lock chain", sched.lockChain, true, async () => {
    const chain = await startLockChain(opts.url);
    log(`workload: lock chain ${chain.pids.a} ← ${chain.pids.b} ← ${chain.pids.c} for ${seconds(sched.lockChain.holdMs)}`);
    return () => chain.release();
  });
  clock.episodes("connection surge", sched.connectionSurge, true, async () => {
    const surge = await openConnectionSurge(opts.url);
    log(`workload: batch job holds ${surge.opened} idle connections for ${seconds(sched.connectionSurge.holdMs)}`);
    return () => surge.release();
  });

  if (opts.webhook) scheduleRefusals(clock, sched.webhookRefusal, opts.webhook, log);
  await scheduleOperations(clock, sched, { url: opts.url, pool, archiveDir: opts.archiveDir, standby: opts.standby, log, job });

  if (opts.reports) {
    const rs = opts.reports;
    const r = sched.reports;
    const xids = opts.etlXids ?? DEMO_ETL_XIDS;
    const startServer = (why: string) => clock.finishFirst(rs.start().then(() => log(`workload: reports server started (${why})`)));
    clock.every(r.startMs, r.periodMs, "reporting ETL", async () => {
      if (!rs.running()) await startServer("it was down at ETL time");
      const t0 = performance.now();
      const ages = await job(rs.adminUrl, ETL_APP_NAME, async (c) => {
        await runPerRowEtl(c, xids);
        return xidAges(c);
      });
      const oldest = Math.max(...Object.values(ages));
      log(`workload: reporting ETL committed ${xids.toLocaleString("en-US")} transactions in ${((performance.now() - t0) / 1000).toFixed(1)} s; oldest unfrozen xid age ${oldest.toLocaleString("en-US")}`);
      clock.later(r.freezeAfterMs, async () => {
        const names = await freezeAllDatabases(rs.url);
        log(`workload: freeze job ran VACUUM (FREEZE) in ${names.join(", ")} on the reports server`);
      }, "freeze job");
      clock.later(r.restartAfterMs, async () => {
        await rs.stop();
        log(`workload: reports server stopped for maintenance, back in ${seconds(r.downMs)}`);
        clock.later(r.downMs, () => startServer("maintenance over"), "reports server start");
      }, "reports server maintenance stop");
    });
  }

  return {
    async stop() {
      await clock.stop();
      // Operations still running finish or fail against the closing pool; wait briefly for them.
      for (let i = 0; i < 50 && inFlight > 0; i++) await new Promise((r) => setTimeout(r, 100));
      await Promise.allSettled([...jobs].map((c) => c.end()));
      await report.end().catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}
