import "server-only";
import pg from "pg";
import { APP_OPS, expireCache, pickOp, type AppContext } from "./app-ops";
import {
  APP_NAME,
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
  type HeldSession,
} from "./scenarios";

// The demo's traffic: the application's ordinary operations at `rate` per second, and on a
// schedule every condition the default alerts watch — first within a few minutes of start, then
// again and again. Errors are logged and the loop goes on; stop() clears every timer and closes
// every connection it opened.

export interface WorkloadSchedule {
  /** First run and period of each scenario, in ms. */
  slow: [number, number];
  coldScan: [number, number];
  /** Bloat is checked every period and recreated when below 35 %. */
  bloat: [number, number];
  idleTx: { startMs: number; holdMs: number; pauseMs: number };
  longTx: { startMs: number; holdMs: number; pauseMs: number };
  lockChain: { startMs: number; holdMs: number; periodMs: number };
  /** Idle batch connections past 85 % of the usable slots (rule: > 80 % for a minute). */
  connectionSurge: { startMs: number; holdMs: number; periodMs: number };
  cacheExpiry: number;
}

// Rules: slow > 1 s, idle in transaction > 5 min, transaction > 15 min, lock wait > 1 min.
// The bloat burst runs before the first lock chain: rows deleted while the chain's
// transactions hold xids could not be vacuumed away.
export const DEFAULT_SCHEDULE: WorkloadSchedule = {
  slow: [20_000, 60_000],
  coldScan: [30_000, 60_000],
  bloat: [10_000, 5 * 60_000],
  idleTx: { startMs: 5_000, holdMs: 6.5 * 60_000, pauseMs: 30_000 },
  longTx: { startMs: 5_000, holdMs: 20 * 60_000, pauseMs: 60_000 },
  lockChain: { startMs: 90_000, holdMs: 80_000, periodMs: 5 * 60_000 },
  connectionSurge: { startMs: 4 * 60_000, holdMs: 150_000, periodMs: 15 * 60_000 },
  cacheExpiry: 30_000,
};

export interface WorkloadOptions {
  /** Superuser or owner URL of kundli_db. */
  url: string;
  /** Application operations per second (default 15). 0 runs the scenarios only. */
  rate?: number;
  log?: (line: string) => void;
  schedule?: Partial<WorkloadSchedule>;
  /** Rows of the cache burst that bloats the cache index (default 200k: index > 10 MB). */
  bloatRows?: number;
}

export interface Workload {
  stop(): Promise<void>;
}

export const DEFAULT_RATE = 15;

export async function startWorkload(opts: WorkloadOptions): Promise<Workload> {
  const log = opts.log ?? (() => {});
  const rate = opts.rate ?? DEFAULT_RATE;
  const sched: WorkloadSchedule = { ...DEFAULT_SCHEDULE, ...opts.schedule };
  let stopped = false;
  const pool = new pg.Pool({ connectionString: opts.url, max: 4, application_name: APP_NAME, statement_timeout: 30_000 });
  pool.on("error", (e) => {
    if (!stopped) log(`workload: pool error: ${e.message}`);
  });
  const report = await connect(opts.url, REPORT_APP_NAME);

  const timers = new Set<NodeJS.Timeout>();
  const held = new Set<{ release(): Promise<void> }>();
  const later = (ms: number, fn: () => unknown) => {
    if (stopped) return;
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) void Promise.resolve().then(fn).catch((e) => log(`workload: ${(e as Error).message}`));
    }, ms);
    timers.add(t);
  };
  const every = (first: number, period: number, name: string, fn: () => Promise<unknown>) => {
    let busy = false;
    const run = async () => {
      later(period, run);
      if (busy) return;
      busy = true;
      try {
        await fn();
      } catch (e) {
        if (!stopped) log(`workload: ${name} failed: ${(e as Error).message}`);
      } finally {
        busy = false;
      }
    };
    later(first, run);
  };
  const hold = (name: string, cfg: { startMs: number; holdMs: number; pauseMs: number }, open: () => Promise<HeldSession>) => {
    const cycle = async () => {
      const s = await open();
      if (stopped) return s.release();
      held.add(s);
      log(`workload: ${name} (pid ${s.pid}) held for ${Math.round(cfg.holdMs / 1000)} s`);
      later(cfg.holdMs, async () => {
        held.delete(s);
        await s.release();
        later(cfg.pauseMs, cycle);
      });
    };
    later(cfg.startMs, () => cycle().catch((e) => {
      log(`workload: ${name} failed: ${(e as Error).message}`);
      later(cfg.pauseMs, cycle);
    }));
  };

  const seed = await pool.query<{ users: number; max_id: string }>(
    `SELECT coalesce((SELECT users FROM demo_seed), (SELECT count(*)::int FROM users)) AS users,
            coalesce((SELECT max(id) FROM birth_charts), 1) AS max_id`,
  );
  const ctx: AppContext = { pool, users: seed.rows[0].users, maxChartId: Number(seed.rows[0].max_id) };
  // Keeps a partition ahead when the demo runs across a month boundary.
  every(0, 6 * 3_600_000, "create_monthly_partition", () => pool.query("CALL create_monthly_partition()"));

  // Application traffic: a tick every 100 ms starts rate/10 operations, never more than a few
  // in flight, so a slow disk turns into a lower rate rather than a pile-up.
  let inFlight = 0;
  let credit = 0;
  const counts = new Map<string, number>(APP_OPS.map(([name]) => [name, 0]));
  let errors = 0;
  if (rate > 0) {
    const tick = setInterval(() => {
      credit += rate / 10;
      while (credit >= 1 && inFlight < 8 && !stopped) {
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
    }, 100);
    timers.add(tick as unknown as NodeJS.Timeout);
    const summary = setInterval(() => {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      log(`workload: ${total} application operations so far, ${errors} errors`);
    }, 5 * 60_000);
    timers.add(summary as unknown as NodeJS.Timeout);
  }

  every(sched.cacheExpiry, sched.cacheExpiry, "cache expiry", () => expireCache(pool));
  every(sched.slow[0], sched.slow[1], "slow statement", async () => {
    const ms = await runSlowStatement(pool, 3 + Math.floor(Math.random() * Math.max(1, ctx.users - 3)));
    log(`workload: slow statement took ${(ms / 1000).toFixed(1)} s (recorded in slow_query_log)`);
  });
  every(sched.coldScan[0], sched.coldScan[1], "cold scan report", async () => {
    const r = await runColdScanReport(report);
    log(`workload: sign-distribution report scanned planetary_positions in ${(r.ms / 1000).toFixed(1)} s`);
  });
  every(sched.bloat[0], sched.bloat[1], "cache index bloat", async () => {
    const before = await measureBloat(report);
    if (before.bloatPct !== null && before.bloatPct >= 35 && before.indexBytes > 10 * 1024 * 1024) return;
    const r = await runCacheBloat(report, opts.bloatRows ?? 200_000);
    const pct = r.bloatPct === null ? "unknown (pgstattuple missing)" : `${r.bloatPct.toFixed(0)} %`;
    log(`workload: cache purge left ${r.index} at ${(r.indexBytes / 1048576).toFixed(1)} MB, bloat ${pct}`);
  });
  hold("idle-in-transaction session", sched.idleTx, () => holdIdleTransaction(opts.url, 3 + Math.floor(Math.random() * 100)));
  hold("long transaction", sched.longTx, () => holdLongTransaction(opts.url));
  every(sched.lockChain.startMs, sched.lockChain.periodMs, "lock chain", async () => {
    const chain = await startLockChain(opts.url);
    if (stopped) return chain.release();
    held.add(chain);
    log(`workload: lock chain ${chain.pids.a} ← ${chain.pids.b} ← ${chain.pids.c} for ${Math.round(sched.lockChain.holdMs / 1000)} s`);
    later(sched.lockChain.holdMs, async () => {
      held.delete(chain);
      await chain.release();
    });
  });

  every(sched.connectionSurge.startMs, sched.connectionSurge.periodMs, "connection surge", async () => {
    const surge = await openConnectionSurge(opts.url);
    if (stopped) return surge.release();
    held.add(surge);
    log(`workload: batch job holds ${surge.opened} idle connections for ${Math.round(sched.connectionSurge.holdMs / 1000)} s`);
    later(sched.connectionSurge.holdMs, async () => {
      held.delete(surge);
      await surge.release();
    });
  });

  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...held].map((h) => h.release()));
      held.clear();
      // Operations still running finish or fail against the closing pool; wait briefly for them.
      for (let i = 0; i < 50 && inFlight > 0; i++) await new Promise((r) => setTimeout(r, 100));
      await report.end().catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}
