import type { Pool } from "pg";
import type { MetricResult } from "@/lib/metrics/types";

// The history store's public shape: a SampleSink for the collector and the reads for the API.

export type Resolution = "raw" | "1m" | "1h";

/**
 * One stored point. Raw samples and rollup buckets share this shape so derived series are
 * computed the same way from both: for a raw sample min = max = sum = first = last = value,
 * count = 1, inc = incMs = resets = 0.
 */
export interface RangePoint {
  /** Sample time (raw) or bucket start (rollups). */
  ts: Date;
  min: number;
  max: number;
  sum: number;
  count: number;
  firstTs: Date;
  firstValue: number;
  lastTs: Date;
  lastValue: number;
  /** Σ non-negative deltas between consecutive samples inside the bucket (0 for raw). */
  inc: number;
  /** Time covered by those deltas, ms (0 for raw). */
  incMs: number;
  /** Counter decreases between consecutive samples inside the bucket (0 for raw). */
  resets: number;
}

export interface SeriesRange {
  name: string;
  labels: Record<string, string>;
  kind: "counter" | "gauge";
  points: RangePoint[];
}

export interface RangeResult {
  resolution: Resolution;
  series: SeriesRange[];
}

export interface HistoryRows {
  ts: Date;
  rows: Record<string, unknown>[];
}

export interface ObjectHistoryPoint {
  ts: Date;
  bytes: number | null;
  liveTuples: number | null;
  deadTuples: number | null;
  pct: number | null;
}

export interface SlowQueryGroup {
  fingerprint: string;
  /** Events (observations) in the range. */
  count: number;
  /** Executions counted by pg_stat_statements windows; null when the group has none. */
  calls: number | null;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
  totalMs: number;
  firstSeen: Date;
  lastSeen: Date;
  sources: string[];
  /** Raw text of the most recent event; the API redacts literals for viewers. */
  exampleQuery: string;
  /** Occurrences (events) per bucket, aligned to bucketSeconds from `from`; 0 is a real zero. */
  buckets: Array<[string, number]>;
}

export interface MetricStatusRow {
  metric: string;
  status: "ok" | "unavailable" | "error";
  reason: string | null;
  since: Date;
  updatedAt: Date;
  errorCount: number;
}

export interface TableGrowthRow {
  objectKey: string;
  latestBytes: number;
  latestTs: Date;
  growthBytesPerDay: number | null;
  daysToThreshold: number | null;
  crossesAt: Date | null;
  alreadyOver: boolean;
}

export interface StoreStatus {
  reachable: boolean;
  unreachableSince: Date | null;
  /** Samples waiting in memory. */
  buffered: number;
  /** Samples dropped because the buffer was full (oldest first), since start. */
  dropped: number;
  bufferedHistoryRows: number;
  droppedHistoryRows: number;
  bufferedEvents: number;
  droppedEvents: number;
  /** Batches refused by the store for a non-transient reason (logged, not retried). */
  rejectedBatches: number;
  lastFlushAt: Date | null;
}

export interface SeriesReader {
  seriesRange(
    targetId: string,
    name: string,
    labels: Record<string, string> | null,
    from: Date,
    to: Date,
    opts?: { resolution?: Resolution; now?: Date },
  ): Promise<RangeResult>;
  slowQueryCounts(targetId: string, from: Date, to: Date, bucketSeconds: number): Promise<Array<[Date, number]>>;
}

export interface Store extends SeriesReader {
  /** The writers' pool (flushes, maintenance, alerts, delivery, audit). */
  pool: Pool;
  /**
   * A viewer's read on the history store's read pool, through its gate: refused with
   * StoreBusyError (503 + Retry-After) when no slot frees up soon. Every read method below uses it.
   */
  read<T>(fn: (pool: Pool) => Promise<T>): Promise<T>;
  readLoad(): { running: number; waiting: number };
  /** The row history keeps a (target, metric) at most this often (StoreOptions.rowHistoryMinIntervalMs). */
  readonly rowHistoryEveryMs: number;
  migrate(): Promise<number[]>;
  accept(result: MetricResult): void;
  flush(): Promise<void>;
  startMaintenance(): void;
  runMaintenance(now?: Date): Promise<MaintenanceReport>;
  status(): StoreStatus;
  latestHistoryRows(targetId: string, metric: string): Promise<HistoryRows | null>;
  /** The last rows of the row history at or before `at`. */
  historyRowsAt(targetId: string, metric: string, at: Date): Promise<HistoryRows | null>;
  /** Measured rows within [from, to]: the first set of each of `slices` equal parts, oldest first. */
  historyRowsWithin(targetId: string, metric: string, from: Date, to: Date, slices: number): Promise<HistoryRows[]>;
  objectHistory(targetId: string, metric: string, objectKey: string, from: Date, to: Date): Promise<ObjectHistoryPoint[]>;
  slowQueryGroups(targetId: string, from: Date, to: Date, bucketSeconds?: number): Promise<SlowQueryGroup[]>;
  metricStatus(targetId: string): Promise<MetricStatusRow[]>;
  tableGrowthAll(targetId: string, now: Date, windowDays: number, thresholdBytes?: number): Promise<TableGrowthRow[]>;
  close(): Promise<void>;
}

export interface MaintenanceReport {
  partitionsCreated: number;
  partitionsDropped: string[];
  minutesRolledUp: number;
  hoursRolledUp: number;
  /** Hours of the per-object size rollup (re)written. */
  sizeHoursRolledUp: number;
  /** Hours of raw samples packed (migration 012). */
  hoursPacked: number;
  eventsDeleted: number;
  /** Up/down changes past event retention that no current state needs. */
  upChangesDeleted: number;
}
