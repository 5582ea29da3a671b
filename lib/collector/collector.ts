import "server-only";
import type { TargetConfig, Thresholds } from "@/lib/config/schema";
import { server } from "@/lib/metrics/definitions/server";
import type { MetricLane, MetricResult } from "@/lib/metrics/types";
import { probe } from "./probe";
import { sourceStatuses } from "./source-status";
import { backoffMs, createSingleFlight, effectiveIntervalMs, jitter, type SingleFlight } from "./schedule";
import { deliver, type CollectorLog } from "./sinks";
import { isConnectivityFailure, isSessionTerminated, WATCHDOG_CODE } from "./definition-tasks";
import type { Capabilities, CollectorTask, SampleSink, TargetSnapshot, TargetState, TaskContext, TaskStats } from "./types";
import type { ShareMember, ShareMembership } from "./server-share";
import type { Semaphore } from "./limits";
import { createLanePools } from "./lane-pools";

// One poller per target. Two connections at most, one per lane: the live lane (the server probe
// and the quick stats reads) and the bulk lane (sizes, tables, indexes, bloat, slow queries);
// each metric definition names its lane.
// Two pools of one connection rather than one pool of two, because a task holding a pool can
// take every connection it has; with a pool per lane a stuck bulk query can never starve the
// live view, whatever the task does with its pool.

export interface CollectorOptions {
  target: TargetConfig;
  thresholds: Thresholds;
  sinks: SampleSink[];
  /** What to collect besides the probe: catalogTasks() (lib/collector/definition-tasks.ts). */
  tasks: CollectorTask[];
  log?: CollectorLog;
  now?: () => Date;
  /** Interval overrides by task id, "server" included (PGPULSE_INTERVALS, tests). */
  intervals?: Record<string, number>;
  random?: () => number;
  /** Margin over a task's timeout before its run is abandoned (default 7 s: connect + round trips). */
  watchdogMarginMs?: number;
  /** Told of every tick skipped because the task's previous run was still going (an overrun). */
  onSkipped?: (taskId: string) => void;
  /**
   * Joins the targets on the same server (lib/collector/server-share.ts): cluster-scope tasks
   * then run on one member only and their rows are split by database. Without it, this
   * collector runs every task itself.
   */
  share?: (member: ShareMember) => ShareMembership;
  /**
   * The target's server's connection budget (one slot per open connection) and the global
   * bound on runs in flight (lib/collector/limits.ts). Without them, only the two lanes bound.
   */
  limits?: { server: Semaphore; global: Semaphore };
  /**
   * When the target was recorded down by the instance that polled it before (a takeover during
   * an outage): the outage's start if the first probe fails too, instead of that probe's time.
   */
  outageSince?: Date | null;
}

export interface Collector {
  start(): void;
  stop(): Promise<void>;
  snapshot(): TargetSnapshot;
  /** The latest result of one metric, without copying the whole snapshot (answer versions ask per request). */
  latest(metricId: string): MetricResult | undefined;
  /** Up or down and since when, without the metrics and task figures. */
  state(): TargetState;
  /** Runs a task now (joins the run in flight if there is one); "server" runs the probe. */
  runNow(taskId: string): Promise<MetricResult>;
}

interface Entry {
  task: CollectorTask;
  lane: MetricLane;
  intervalMs: number;
  flight: SingleFlight<MetricResult>;
  timer: NodeJS.Timeout | null;
  stats: Omit<TaskStats, "overruns">;
}

const SERVER_ID = server.id;
const WATCHDOG_MARGIN_MS = 7_000;
const DEFAULT_TASK_TIMEOUT_MS = 60_000;
const noopLog: CollectorLog = { warn: () => {}, info: () => {} };

export function createCollector(opts: CollectorOptions): Collector {
  const { target, thresholds, sinks } = opts;
  const targetId = target.id;
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? noopLog;
  const random = opts.random ?? Math.random;
  const pools = createLanePools({ url: target.url, limits: opts.limits });

  const tasks = new Map<string, CollectorTask>();
  for (const t of opts.tasks) {
    if (t.id === SERVER_ID) throw new Error(`task id "${SERVER_ID}" is reserved for the collector's probe`);
    tasks.set(t.id, t);
  }
  const entries = new Map<string, Entry>();
  for (const t of tasks.values()) {
    entries.set(t.id, {
      task: t,
      lane: t.lane ?? "bulk",
      intervalMs: effectiveIntervalMs(t.id, t.intervalMs, opts.intervals),
      flight: createSingleFlight(),
      timer: null,
      stats: { runs: 0, lastStatus: null, lastDurationMs: null, lastRunAt: null },
    });
  }
  const serverEntry: Entry = {
    task: { id: SERVER_ID, intervalMs: server.intervalMs, timeoutMs: server.timeoutMs, lane: server.lane, run: async () => probeNow() },
    lane: server.lane,
    intervalMs: effectiveIntervalMs(SERVER_ID, server.intervalMs, opts.intervals),
    flight: createSingleFlight(),
    timer: null,
    stats: { runs: 0, lastStatus: null, lastDurationMs: null, lastRunAt: null },
  };
  // While down, the probe retries with a backoff capped at the shortest task interval, so the
  // live view resumes within one of its own cycles after the target comes back.
  const downCapMs = Math.max(1_000, Math.min(serverEntry.intervalMs, ...[...entries.values()].map((e) => e.intervalMs)));

  let started = false;
  let stopped = false;
  let up = false;
  let downSince: Date | null = null;
  /** Only until the first probe's answer: after that, this collector saw for itself. */
  let inheritedOutage = opts.outageSince ?? null;
  let lastError: string | null = null;
  let lastSampleAt: Date | null = null;
  let caps: Capabilities | null = null;
  let failedProbes = 0;
  const metrics: Record<string, MetricResult> = {};

  function snapshot(): TargetSnapshot {
    const stats: Record<string, TaskStats> = {};
    for (const e of [serverEntry, ...entries.values()]) stats[e.task.id] = { ...e.stats, overruns: e.flight.overruns };
    return { targetId, up, downSince, lastError, lastSampleAt, capabilities: caps, metrics: { ...metrics }, tasks: stats };
  }

  function record(result: MetricResult, entry: Entry | null, toSinks = true): void {
    if (stopped) return;
    // A failed run does not replace the last good rows: pages keep showing them as stale, with
    // the time they were taken. The failure is in the task stats, lastError and the sinks.
    if (result.status !== "error" || metrics[result.metric]?.status !== "ok") metrics[result.metric] = result;
    // The synthetic `up` row is emitted while down too: it is not a sample of the target.
    if (result.status === "ok" && result.metric !== "up") lastSampleAt = result.ts;
    if (entry) {
      entry.stats.runs++;
      entry.stats.lastStatus = result.status;
      entry.stats.lastDurationMs = result.status === "unavailable" ? null : result.durationMs;
      entry.stats.lastRunAt = result.ts;
    }
    if (toSinks) deliver(sinks, result, log);
  }

  const membership = opts.share?.({
    targetId,
    database: () => caps?.database ?? databaseOf(target.url),
    isUp: () => up && !stopped,
    receive: (result, toSinks) => {
      if (up) record(result, null, toSinks);
    },
  });
  /** A cluster-scope task another member of the server runs now. */
  const runElsewhere = (e: Entry) => e.task.scope === "cluster" && membership !== undefined && !membership.owns();

  /**
   * At the probe's time, so the store's transition and this snapshot's downSince agree; with the
   * server last reached (kept while down), which other instances show from the store.
   */
  function emitUp(ok: boolean, error: string | null, durationMs: number, ts: Date): void {
    const rows = [{ up: ok ? 1 : 0, error, server_version: caps?.serverVersion ?? null, role: caps?.role ?? null }];
    record({ status: "ok", metric: "up", targetId, ts, durationMs, rows }, null);
  }

  /** Bounds a run: past its timeout plus a margin, give up on it (a late result is dropped). */
  async function withWatchdog(entry: Entry, run: () => Promise<MetricResult>): Promise<MetricResult> {
    const limitMs = (entry.task.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS) + (opts.watchdogMarginMs ?? WATCHDOG_MARGIN_MS);
    const ts = now();
    const startedAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<MetricResult>((resolve) => {
      timer = setTimeout(() => {
        // The connection is stuck beyond its statement_timeout (a network hang): the server no
        // longer serves it, so a fresh pool does not add a live session on the target.
        pools.replace(entry.lane);
        resolve({
          status: "error", metric: entry.task.id, targetId, ts, durationMs: performance.now() - startedAt,
          error: `did not finish within ${limitMs} ms`, code: WATCHDOG_CODE,
        });
      }, limitMs);
    });
    const guarded = run().catch((e: unknown): MetricResult => ({
      status: "error", metric: entry.task.id, targetId, ts, durationMs: performance.now() - startedAt,
      error: e instanceof Error ? e.message : String(e),
    }));
    try {
      return await Promise.race([guarded, watchdog]);
    } finally {
      clearTimeout(timer);
    }
  }

  // --- the probe (server task) -------------------------------------------------------------

  function probeNow(): Promise<MetricResult> {
    return serverEntry.flight.current() ?? serverEntry.flight.tryRun(runProbe)!;
  }

  async function probeOnce(): Promise<{ result: MetricResult; caps: Capabilities | null }> {
    try {
      let caps: Capabilities | null = null;
      const result = await pools.run("live", (pool) =>
        withWatchdog(serverEntry, async () => {
          const o = await probe(pool, targetId, now);
          caps = o.caps;
          return o.result;
        }),
      );
      return { result, caps };
    } catch (e) {
      // probe() and the watchdog do not throw; this keeps the loop alive if that ever changes.
      const error = e instanceof Error ? e.message : String(e);
      return { result: { status: "error", metric: SERVER_ID, targetId, ts: now(), durationMs: 0, error }, caps: null };
    }
  }

  async function runProbe(): Promise<MetricResult> {
    if (serverEntry.timer) clearTimeout(serverEntry.timer);
    serverEntry.timer = null;
    const startedAt = performance.now();
    let outcome = await probeOnce();
    // A pooled connection can die between uses (backend terminated, server restarted) before
    // the pool hears of it: one retry on a fresh connection keeps that from reading as an outage.
    // Before the first answer too, when the server itself ended the session: it was reachable.
    if (!stopped && !outcome.caps && (up ? isConnectivityFailure(outcome.result) : isSessionTerminated(outcome.result))) outcome = await probeOnce();
    if (stopped) return outcome.result;
    const durationMs = performance.now() - startedAt;
    const { result } = outcome;
    const outageStart = inheritedOutage ?? result.ts;
    inheritedOutage = null;
    record(result, serverEntry);
    if (outcome.caps) {
      const wasUp = up;
      caps = outcome.caps;
      up = true;
      downSince = null;
      lastError = null;
      failedProbes = 0;
      emitUp(true, null, durationMs, result.ts);
      for (const r of sourceStatuses(outcome.caps, targetId, result.ts)) record(r, null);
      if (!wasUp) {
        log.info({ targetId }, "target up");
        kickAll();
      }
    } else {
      const error = result.status === "error" ? result.error : result.status === "unavailable" ? result.reason : "no capabilities";
      const wasUp = up;
      up = false;
      downSince ??= outageStart;
      lastError = error;
      failedProbes++;
      if (wasUp) log.warn({ targetId, error }, "target down");
      // Tasks wait for the target; the probe alone polls it until it answers.
      for (const e of entries.values()) clearTimer(e);
      if (isConnectivityFailure(result)) {
        pools.replace("live");
        pools.replace("bulk");
      }
      emitUp(false, error, durationMs, result.ts);
    }
    scheduleProbe();
    return result;
  }

  function scheduleProbe(): void {
    if (stopped) return;
    const delay = up ? jitter(serverEntry.intervalMs, random) : backoffMs(failedProbes - 1, downCapMs);
    serverEntry.timer = setTimeout(() => void probeNow(), delay);
  }

  // --- ordinary tasks ----------------------------------------------------------------------

  function clearTimer(e: Entry): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = null;
  }

  /** (Re)starts every task soon, staggered, e.g. once the target answers again. */
  function kickAll(): void {
    for (const e of entries.values()) {
      clearTimer(e);
      if (!stopped) e.timer = setTimeout(() => tick(e), Math.floor(random() * Math.min(e.intervalMs, 1_000)));
    }
  }

  // Fixed-rate ticks: the next tick is set before the run, so a slow run skips ticks (counted as
  // overruns) instead of drifting the cadence or queueing runs.
  function tick(e: Entry): void {
    if (stopped) return;
    e.timer = setTimeout(() => tick(e), jitter(e.intervalMs, random));
    if (!up || !caps || runElsewhere(e)) return;
    if (e.flight.tryRun(() => runTask(e)) === null) opts.onSkipped?.(e.task.id);
  }

  // One task at a time per lane: a task waits its turn here, not in the pool, whose 5 s connect
  // timeout would fail it as a "connection" error behind a slow neighbour (a big catalog makes
  // table_stats take seconds). The wait is bounded: each task runs once at a time, under its watchdog.
  const laneTail: Record<MetricLane, Promise<unknown>> = { live: Promise.resolve(), bulk: Promise.resolve() };

  async function runTask(e: Entry): Promise<MetricResult> {
    const turn = laneTail[e.lane];
    let release!: () => void;
    laneTail[e.lane] = new Promise<void>((r) => (release = r));
    let result: MetricResult;
    try {
      await turn;
      if (stopped || !up || !caps) {
        return { status: "error", metric: e.task.id, targetId, ts: now(), durationMs: 0, error: `target is down: ${lastError ?? "stopping"}` };
      }
      const known = caps;
      result = await pools.run(e.lane, (pool) => withWatchdog(e, () => e.task.run({ pool, caps: known, targetId, thresholds, now } satisfies TaskContext)));
    } finally {
      release();
    }
    if (stopped) return result;
    record(e.task.scope === "cluster" && membership ? membership.split(result) : result, e);
    if (isConnectivityFailure(result)) {
      log.warn({ targetId, task: e.task.id, error: result.status === "error" ? result.error : "" }, "connection failure, re-checking target");
      void probeNow();
    }
    return result;
  }

  return {
    start() {
      if (started || stopped) return;
      started = true;
      void probeNow();
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      membership?.leave();
      clearTimer(serverEntry);
      for (const e of entries.values()) clearTimer(e);
      // Runs in flight are bounded by their watchdog; wait for them so no query outlives stop().
      const inFlight = [serverEntry, ...entries.values()].map((e) => e.flight.current()).filter((p) => p !== null);
      await Promise.allSettled(inFlight);
      await pools.end();
    },

    snapshot,
    latest: (metricId) => metrics[metricId],
    state: () => ({ targetId, up, downSince, lastError, lastSampleAt, capabilities: caps }),

    async runNow(taskId) {
      if (taskId === SERVER_ID) return probeNow();
      const e = entries.get(taskId);
      if (!e) throw new Error(`unknown task "${taskId}"`);
      if (!up || !caps) await probeNow();
      if (!up || !caps) {
        return { status: "error", metric: taskId, targetId, ts: now(), durationMs: 0, error: `target is down: ${lastError ?? "not checked yet"}` };
      }
      return e.flight.current() ?? e.flight.tryRun(() => runTask(e))!;
    },
  };
}

function databaseOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1));
  } catch {
    return "";
  }
}
