import "server-only";
import { createStorePool } from "@/lib/db/pool";
import { toDbError } from "@/lib/db/errors";
import { getDefinition } from "@/lib/metrics/catalog";
import type { MetricResult } from "@/lib/metrics/types";
import { migrate } from "./migrate";
import { convertResult, ROW_HISTORY_VALUE_METRICS, type DefinitionLookup, type EventWrite, type SampleWrite, type HistoryRowWrite } from "./convert";
import { DEFAULT_RETENTION, dropExpired, ensurePartitionsAhead, packSamples, rollup, rollupSizes, type Retention } from "./maintenance";
import { seriesRange } from "./read-series";
import { tableGrowthAll } from "./read-growth";
import { historyRowsAt, historyRowsWithin, latestHistoryRows, objectHistory } from "./read-row-history";
import { createSlowEventFilter, type SlowFilterOptions } from "./slow-filter";
import { slowQueryCounts, slowQueryGroups } from "./read-slow-queries";
import { createReadGate, type ReadGateOptions } from "./read-gate";
import { metricStatus } from "./read-status";
import type { MaintenanceReport, Store, StoreStatus } from "./types";
import {
  ensureDayPartition,
  insertSamples,
  insertHistoryRows,
  insertUpChanges,
  resolveSeries,
  seriesKey,
  upsertEvents,
  upsertStatuses,
  utcDay,
  type SeriesKey,
  type StatusWrite,
  type UpChange,
} from "./write";

// The history store: a SampleSink that buffers in memory and writes in batches, and the reads
// the API and the pages use. accept() never throws and never waits on the database.

/** pino-compatible. */
export interface StoreLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface StoreOptions {
  url: string;
  log?: StoreLogger;
  /** Metric definitions (default: the catalog). */
  definitions?: DefinitionLookup;
  retention?: Partial<Retention>;
  /**
   * Samples kept in memory while the store is unreachable (default 100,000, tens of MB: about
   * 3.5 hours of one target at default cadences, 27,000 samples/hour measured). Past it the
   * oldest are dropped and counted.
   */
  maxBufferedSamples?: number;
  /** Row-history rows kept in memory (default 20,000, ≈ 5 sets of 1,000 tables + indexes); past it whole sets are dropped, oldest first. */
  maxBufferedHistoryRows?: number;
  maxBufferedEvents?: number;
  flushIntervalMs?: number;
  /** A buffer this large triggers a flush at once (default 5,000 samples). */
  batchSamples?: number;
  maintenanceIntervalMs?: number;
  /** Connections of the writers' pool: flushes, maintenance, alerts, delivery (default 4). */
  poolMax?: number;
  /**
   * History reads for viewers (default 10 at once on their own pool, 1,000 waiting, 3 s wait):
   * past it a read is refused as busy (503 + Retry-After), see read-gate.ts.
   */
  reads?: Partial<ReadGateOptions>;
  /**
   * Keep at most one set of rows per (target, metric) in the row history per this interval
   * (default 10 minutes: the row history is for growth and "how did it look then"; the
   * collector's in-memory snapshot always has the newest rows). 0 keeps every one.
   */
  rowHistoryMinIntervalMs?: number;
  /** Store row-history metrics' per-object series too (default false; see convert.ts). */
  rowHistorySeries?: boolean;
  /** Told how long each flush took and whether the store took it (for /api/metrics). */
  onFlush?: (seconds: number, ok: boolean) => void;
  /** Which pg_stat_statements windows become events (see slow-filter.ts). */
  slowEvents?: SlowFilterOptions;
}

const TRANSIENT = new Set(["connection", "terminated", "timeout"]);
const MAX_STATEMENT_SAMPLES = 20_000;
const MAX_STATEMENT_EVENTS = 2_000;

const silentLog: StoreLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Appends and keeps only the newest `max` items; returns how many were dropped. */
function pushBounded<T>(buf: T[], items: T[], max: number): number {
  buf.push(...items);
  const over = buf.length - max;
  if (over > 0) buf.splice(0, over);
  return Math.max(0, over);
}

export function createStore(opts: StoreOptions): Store {
  const pool = createStorePool(opts.url, opts.poolMax ?? 4);
  const gateOptions: ReadGateOptions = { slots: 10, maxQueue: 1_000, waitMs: 3_000, ...opts.reads };
  const readPool = createStorePool(opts.url, gateOptions.slots);
  const gate = createReadGate(gateOptions);
  const read = <T>(fn: (p: typeof readPool) => Promise<T>) => gate.run(() => fn(readPool));
  const log = opts.log ?? silentLog;
  const lookup = opts.definitions ?? getDefinition;
  const retention: Retention = { ...DEFAULT_RETENTION, ...opts.retention };
  const maxSamples = opts.maxBufferedSamples ?? 100_000;
  const maxHistoryRows = opts.maxBufferedHistoryRows ?? 20_000;
  const maxEvents = opts.maxBufferedEvents ?? 10_000;
  const flushEvery = opts.flushIntervalMs ?? 1_000;
  const batchSamples = opts.batchSamples ?? 5_000;

  let samples: SampleWrite[] = [];
  /** Whole sets for the row history (all rows of one result), oldest first. */
  let historyRows: HistoryRowWrite[][] = [];
  let historyRowCount = 0;
  let events: EventWrite[] = [];
  const statuses = new Map<string, StatusWrite>();
  let upChanges: UpChange[] = [];
  const lastStatus = new Map<string, string>();
  const lastUp = new Map<string, string>();
  const seriesIds = new Map<string, number>();
  const knownDays = { samples: new Set<string>(), snapshot_sets: new Set<string>(), snapshot_values: new Set<string>() };
  const warnedUnknown = new Set<string>();
  const lastHistoryAt = new Map<string, number>();
  const historyEvery = opts.rowHistoryMinIntervalMs ?? 10 * 60_000;
  const keepEvent = createSlowEventFilter(opts.slowEvents);

  const st = {
    reachable: true,
    unreachableSince: null as Date | null,
    dropped: 0,
    droppedHistoryRows: 0,
    droppedEvents: 0,
    rejectedBatches: 0,
    lastFlushAt: null as Date | null,
  };
  let flushing: Promise<void> | null = null;
  let flushSoon = false;
  let closed = false;
  let failures = 0;
  let nextAttemptAt = 0;
  let flushTimer: NodeJS.Timeout | null = null;
  let maintenanceTimer: NodeJS.Timeout | null = null;

  function recordStatus(result: MetricResult) {
    const key = `${result.targetId}\u0000${result.metric}`;
    const reason = result.status === "unavailable" ? result.reason : result.status === "error" ? result.error : null;
    const sig = `${result.status}\u0000${reason ?? ""}`;
    const isError = result.status === "error" ? 1 : 0;
    // ok → ok and repeated identical outcomes are not rewritten; every error is counted.
    if (lastStatus.get(key) === sig && !isError) return;
    lastStatus.set(key, sig);
    const prev = statuses.get(key);
    statuses.set(key, {
      targetId: result.targetId,
      metric: result.metric,
      status: result.status,
      reason,
      since: prev && prev.status === result.status ? prev.since : result.ts,
      ts: result.ts,
      errors: (prev?.errors ?? 0) + isError,
    });
  }

  function accept(result: MetricResult): void {
    try {
      if (closed) return;
      recordStatus(result);
      const c = convertResult(result, lookup, { rowHistorySeries: opts.rowHistorySeries ?? false });
      if (c.unknownMetric && !warnedUnknown.has(result.metric)) {
        warnedUnknown.add(result.metric);
        log.warn({ metric: result.metric }, "store: no definition for metric; its rows are not stored");
      }
      // Once per change of up/down, error, server version or role: what other instances show of it.
      const upState = c.up && [c.up.up, c.up.error, c.up.serverVersion, c.up.role].join("\u0000");
      if (c.up && upState && lastUp.get(result.targetId) !== upState) {
        lastUp.set(result.targetId, upState);
        upChanges.push({ targetId: result.targetId, ts: result.ts, ...c.up });
        if (upChanges.length > 1_000) upChanges.splice(0, upChanges.length - 1_000);
      }
      if (c.samples.length) st.dropped += pushBounded(samples, c.samples, maxSamples);
      if (c.historyRows.length) {
        const key = `${result.targetId}\u0000${result.metric}`;
        const last = lastHistoryAt.get(key);
        if (last === undefined || result.ts.getTime() - last >= historyEvery) {
          lastHistoryAt.set(key, result.ts.getTime());
          historyRows.push(c.historyRows);
          historyRowCount += c.historyRows.length;
          boundHistoryRows();
        }
      }
      const kept = c.events.filter(keepEvent);
      if (kept.length) st.droppedEvents += pushBounded(events, kept, maxEvents);
      if (samples.length >= batchSamples && st.reachable && !flushing && !flushSoon) {
        flushSoon = true;
        setImmediate(() => {
          flushSoon = false;
          void flush();
        });
      }
    } catch (e) {
      // A sink must never break the collector.
      log.error({ err: String(e), metric: result?.metric }, "store: accept failed");
    }
  }

  function boundHistoryRows() {
    while (historyRowCount > maxHistoryRows && historyRows.length > 1) {
      const dropped = historyRows.shift()!;
      historyRowCount -= dropped.length;
      st.droppedHistoryRows += dropped.length;
    }
  }

  async function ensureDays(parent: "samples" | "snapshot_sets" | "snapshot_values", times: number[]) {
    const days = new Set(times.map(utcDay));
    for (const d of days) {
      if (knownDays[parent].has(d)) continue;
      await ensureDayPartition(pool, parent, d);
      knownDays[parent].add(d);
    }
  }

  async function writeSamples(batch: SampleWrite[]) {
    const missing = new Map<string, SeriesKey>();
    for (const s of batch) {
      const k = seriesKey(s);
      if (!seriesIds.has(k) && !missing.has(k)) missing.set(k, { targetId: s.targetId, name: s.name, labels: s.labels, kind: s.kind });
    }
    if (missing.size) for (const [k, id] of await resolveSeries(pool, [...missing.values()])) seriesIds.set(k, id);
    const ts = batch.map((s) => s.ts);
    await ensureDays("samples", ts);
    try {
      await insertSamples(pool, batch.map((s) => seriesIds.get(seriesKey(s))!), ts, batch.map((s) => s.value));
    } catch (e) {
      // 23514: no partition for a row (someone dropped one we had cached): recreate once.
      if ((e as { code?: string }).code !== "23514") throw e;
      knownDays.samples.clear();
      await ensureDays("samples", ts);
      await insertSamples(pool, batch.map((s) => seriesIds.get(seriesKey(s))!), ts, batch.map((s) => s.value));
    }
  }

  async function writeHistoryRows(batch: HistoryRowWrite[][]) {
    for (const set of batch) {
      const withValues = ROW_HISTORY_VALUE_METRICS.has(set[0].metric);
      await ensureDays("snapshot_sets", [set[0].ts.getTime()]);
      if (withValues) await ensureDays("snapshot_values", [set[0].ts.getTime()]);
      await insertHistoryRows(pool, set, withValues);
    }
  }

  async function writeEvents(batch: EventWrite[]) {
    // One row per dedupe key per statement (ON CONFLICT cannot touch a row twice): keep the latest.
    const byKey = new Map<string, EventWrite>();
    for (const e of batch) {
      const k = `${e.targetId}\u0000${e.dedupeKey}`;
      const prev = byKey.get(k);
      if (!prev || prev.capturedAt <= e.capturedAt) byKey.set(k, e);
    }
    await upsertEvents(pool, [...byKey.values()]);
  }

  /** Takes a batch, writes it, and puts it back at the front when the store is unreachable. */
  async function step<T>(get: () => T[], set: (v: T[]) => void, max: number, limit: number, write: (b: T[]) => Promise<void>, onDrop: (n: number) => void) {
    while (get().length) {
      const batch = get().slice(0, limit);
      set(get().slice(batch.length));
      try {
        await write(batch);
      } catch (e) {
        const err = toDbError(e);
        if (TRANSIENT.has(err.kind)) {
          const merged = batch.concat(get());
          const over = merged.length - max;
          if (over > 0) onDrop(over);
          set(over > 0 ? merged.slice(over) : merged);
          throw err;
        }
        st.rejectedBatches++;
        log.error({ err: err.message, code: err.code, rows: batch.length }, "store: batch rejected, dropped");
      }
    }
  }

  async function flushOnce(): Promise<void> {
    try {
      await step(() => samples, (v) => (samples = v), maxSamples, MAX_STATEMENT_SAMPLES, writeSamples, (n) => (st.dropped += n));
      await step(
        () => historyRows,
        (v) => {
          historyRows = v;
          historyRowCount = v.reduce((n, set) => n + set.length, 0);
          boundHistoryRows();
        },
        Infinity,
        1,
        writeHistoryRows,
        () => {},
      );
      await step(() => events, (v) => (events = v), maxEvents, MAX_STATEMENT_EVENTS, writeEvents, (n) => (st.droppedEvents += n));
      if (statuses.size) {
        const batch = [...statuses.values()];
        statuses.clear();
        try {
          await upsertStatuses(pool, batch);
        } catch (e) {
          for (const s of batch) {
            const k = `${s.targetId}\u0000${s.metric}`;
            const newer = statuses.get(k);
            statuses.set(k, newer ? { ...newer, since: newer.status === s.status ? s.since : newer.since, errors: newer.errors + s.errors } : s);
          }
          throw e;
        }
      }
      if (upChanges.length) {
        const batch = upChanges;
        upChanges = [];
        try {
          await insertUpChanges(pool, batch);
        } catch (e) {
          upChanges = batch.concat(upChanges);
          throw e;
        }
      }
      if (!st.reachable) log.info({ since: st.unreachableSince }, "store: reachable again");
      st.reachable = true;
      st.unreachableSince = null;
      st.lastFlushAt = new Date();
      failures = 0;
    } catch (e) {
      const err = toDbError(e);
      if (st.reachable) log.warn({ err: err.message }, "store: unreachable, buffering in memory");
      if (st.reachable || !st.unreachableSince) st.unreachableSince = new Date();
      st.reachable = false;
      failures++;
      // Back off up to 10 s while it stays down.
      nextAttemptAt = Date.now() + Math.min(10_000, flushEvery * 2 ** Math.min(failures, 4));
    }
  }

  /** Writes everything buffered; resolves when done or when the store turned out unreachable. */
  async function flush(): Promise<void> {
    while (flushing) await flushing;
    const startedAt = performance.now();
    flushing = flushOnce().finally(() => {
      flushing = null;
      opts.onFlush?.((performance.now() - startedAt) / 1000, st.reachable);
    });
    await flushing;
  }

  function startTimer() {
    if (flushTimer) return;
    flushTimer = setInterval(() => {
      if (flushing || Date.now() < nextAttemptAt) return;
      if (!samples.length && !historyRows.length && !events.length && !statuses.size && !upChanges.length) return;
      void flush();
    }, flushEvery);
    flushTimer.unref();
  }
  startTimer();

  async function runMaintenance(now = new Date()): Promise<MaintenanceReport> {
    const partitionsCreated = await ensurePartitionsAhead(pool, now);
    const { dropped, eventsDeleted, upChangesDeleted } = await dropExpired(pool, now, retention);
    if (dropped.length) {
      knownDays.samples.clear();
      knownDays.snapshot_sets.clear();
      knownDays.snapshot_values.clear();
    }
    const r = await rollup(pool, now);
    const sizeHoursRolledUp = await rollupSizes(pool, now, [...ROW_HISTORY_VALUE_METRICS], retention.rowHistoryDays);
    // After the minute rollup, so that it reads the newest minutes from the unpacked rows.
    const hoursPacked = await packSamples(pool, now);
    return { partitionsCreated, partitionsDropped: dropped, minutesRolledUp: r.minutes, hoursRolledUp: r.hours, sizeHoursRolledUp, hoursPacked, eventsDeleted, upChangesDeleted };
  }

  function startMaintenance() {
    if (maintenanceTimer) return;
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        const r = await runMaintenance();
        if (r.partitionsDropped.length) log.info({ dropped: r.partitionsDropped }, "store: retention dropped partitions");
      } catch (e) {
        log.warn({ err: toDbError(e).message }, "store: maintenance failed; retrying next minute");
      } finally {
        running = false;
      }
    };
    void tick();
    maintenanceTimer = setInterval(() => void tick(), opts.maintenanceIntervalMs ?? 60_000);
    maintenanceTimer.unref();
  }

  function status(): StoreStatus {
    return {
      reachable: st.reachable,
      unreachableSince: st.unreachableSince,
      buffered: samples.length,
      dropped: st.dropped,
      bufferedHistoryRows: historyRowCount,
      droppedHistoryRows: st.droppedHistoryRows,
      bufferedEvents: events.length,
      droppedEvents: st.droppedEvents,
      rejectedBatches: st.rejectedBatches,
      lastFlushAt: st.lastFlushAt,
    };
  }

  return {
    pool,
    rowHistoryEveryMs: historyEvery,
    migrate: () => migrate(pool),
    accept,
    flush,
    startMaintenance,
    runMaintenance,
    status,
    read,
    readLoad: gate.load,
    seriesRange: (targetId, name, labels, from, to, o) => read((p) => seriesRange(p, targetId, name, labels, from, to, o)),
    slowQueryCounts: (targetId, from, to, bucketSeconds) => read((p) => slowQueryCounts(p, targetId, from, to, bucketSeconds)),
    latestHistoryRows: (targetId, metric) => read((p) => latestHistoryRows(p, targetId, metric)),
    historyRowsAt: (targetId, metric, at) => read((p) => historyRowsAt(p, targetId, metric, at)),
    historyRowsWithin: (targetId, metric, from, to, slices) => read((p) => historyRowsWithin(p, targetId, metric, from, to, slices)),
    objectHistory: (targetId, metric, objectKey, from, to) => read((p) => objectHistory(p, targetId, metric, objectKey, from, to)),
    slowQueryGroups: (targetId, from, to, bucketSeconds) =>
      read((p) => slowQueryGroups(p, targetId, from, to, bucketSeconds ?? Math.max(60, Math.ceil((to.getTime() - from.getTime()) / 1000 / 24)))),
    metricStatus: (targetId) => read((p) => metricStatus(p, targetId)),
    tableGrowthAll: (targetId, now, windowDays, thresholdBytes) => read((p) => tableGrowthAll(p, targetId, now, windowDays, thresholdBytes)),
    async close() {
      if (flushTimer) clearInterval(flushTimer);
      if (maintenanceTimer) clearInterval(maintenanceTimer);
      flushTimer = maintenanceTimer = null;
      await flush();
      closed = true;
      await Promise.all([pool.end(), readPool.end()]);
    },
  };
}
