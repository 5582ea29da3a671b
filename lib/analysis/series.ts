import type { RangePoint, RangeResult, Resolution, SeriesReader, SeriesRange } from "@/lib/store/types";
import { chooseResolution, RESOLUTION_MS } from "@/lib/store/resolution";
import { type SeriesMetric, type SeriesUnit } from "@/lib/api/series";
import { counterDelta, hitRatio, type CounterSample } from "./counters";
import { SERIES_METRICS, SERIES_UNITS } from "@/lib/api/series-metrics";
import { longestTickGapMs } from "@/lib/collector/schedule";
import { stepNoFinerThan } from "@/lib/limits";

// Derived series computed on read from stored samples: rates from counter deltas over the real
// elapsed time, ratios from summed deltas per step, gauges averaged (or maxed) per step.
// Points are aligned to step buckets; a bucket without data is null, never 0; series are
// joined by timestamp, never by array position.

// The metric names and units are the API contract (lib/api/series.ts); the specs below say how
// each is derived from stored series.
export { SERIES_METRICS, type SeriesMetric, type SeriesUnit };

type Spec =
  // cluster: a cluster-wide counter (no datname label, no pg_stat_database reset marker).
  | { kind: "rate"; counters: string[]; cluster?: true }
  | { kind: "hit_ratio" }
  // perStandby: one series per standby (application_name); the worst of them unless one is asked for.
  | { kind: "gauge"; series: string; agg: "avg" | "max"; perDatabase: boolean; perStandby?: true }
  | { kind: "events" };

const SPECS: Record<SeriesMetric, Spec> = {
  tps: { kind: "rate", counters: ["db_stats.xact_commit", "db_stats.xact_rollback"] },
  commits_per_second: { kind: "rate", counters: ["db_stats.xact_commit"] },
  rollbacks_per_second: { kind: "rate", counters: ["db_stats.xact_rollback"] },
  cache_hit_ratio: { kind: "hit_ratio" },
  connections_total: { kind: "gauge", series: "stat_activity.total", agg: "avg", perDatabase: false },
  connections_active: { kind: "gauge", series: "stat_activity.active", agg: "avg", perDatabase: false },
  connections_idle_in_transaction: { kind: "gauge", series: "stat_activity.idle_in_transaction", agg: "avg", perDatabase: false },
  connections_waiting_lock: { kind: "gauge", series: "stat_activity.waiting_lock", agg: "avg", perDatabase: false },
  // The worst moment of the step is what matters for a long query, not the average.
  longest_query_seconds: { kind: "gauge", series: "stat_activity.longest_query_seconds", agg: "max", perDatabase: false },
  deadlocks_per_second: { kind: "rate", counters: ["db_stats.deadlocks"] },
  rows_inserted_per_second: { kind: "rate", counters: ["db_stats.tup_inserted"] },
  rows_updated_per_second: { kind: "rate", counters: ["db_stats.tup_updated"] },
  rows_deleted_per_second: { kind: "rate", counters: ["db_stats.tup_deleted"] },
  database_size_bytes: { kind: "gauge", series: "db_size.bytes", agg: "avg", perDatabase: true },
  slow_queries_per_minute: { kind: "events" },
  // As the connections metric reports it (used / usable).
  connection_saturation: { kind: "gauge", series: "connections.saturation", agg: "max", perDatabase: false },
  replay_lag_seconds: { kind: "gauge", series: "replication.replay_lag_seconds", agg: "max", perDatabase: false, perStandby: true },
  replay_bytes_behind: { kind: "gauge", series: "replication.replay_bytes_behind", agg: "max", perDatabase: false, perStandby: true },
  standby_replay_delay_seconds: { kind: "gauge", series: "standby_status.replay_delay_seconds", agg: "max", perDatabase: false },
  // The WAL position only grows: its delta per second is the WAL written (PG 13 has no pg_stat_wal).
  wal_bytes_per_second: { kind: "rate", counters: ["wal.lsn_bytes"], cluster: true },
};

/** The metric whose samples a series is derived from: the series comes at that metric's cadence. */
export function seriesSourceMetric(metric: SeriesMetric): string {
  const spec = SPECS[metric];
  if (spec.kind === "events") return "slow_queries";
  if (spec.kind === "hit_ratio") return "db_stats";
  const name = spec.kind === "gauge" ? spec.series : spec.counters[0];
  return name.slice(0, name.indexOf("."));
}

export const SERIES_METRIC_UNITS: Record<SeriesMetric, SeriesUnit> = SERIES_UNITS;

export type SeriesPoint = [string, number | null];

/** What getSeries derives; the wire shape is SeriesResponse in lib/api/series.ts. */
interface DerivedSeries {
  metric: SeriesMetric;
  unit: SeriesUnit;
  stepSeconds: number;
  resolution: Resolution | "events";
  points: SeriesPoint[];
}

/** Bucket starts (epoch ms) aligned to multiples of the step, covering [from, to). */
export function stepBuckets(from: Date, to: Date, stepSeconds: number): number[] {
  const step = stepSeconds * 1000;
  const out: number[] = [];
  for (let t = Math.floor(from.getTime() / step) * step; t < to.getTime(); t += step) out.push(t);
  return out;
}

/** One interval of a counter: its end time, its increase (null for a reset) and its length. */
export interface CounterInterval {
  /** Identifies the interval across series sampled together (hit/read pairing). */
  key: string;
  end: number;
  delta: number | null;
  ms: number;
}

/**
 * The intervals of a counter from stored points (raw samples or rollup buckets), with the
 * stats_reset marker series joined by timestamp when there is one:
 *  - between two points (previous last sample → this first sample): counterDelta, a reset when
 *    the value went down or the marker changed;
 *  - inside a rollup bucket: the increase already summed without its resets (inc, incMs). A
 *    marker change inside the bucket that no decrease explains makes it a gap: the reset cannot
 *    be placed.
 */
export function counterIntervals(points: RangePoint[], marker: RangePoint[] = []): CounterInterval[] {
  const markerAt = new Map(marker.map((m) => [m.ts.getTime(), m]));
  const out: CounterInterval[] = [];
  let prev: CounterSample | null = null;
  let epoch = 0;
  let prevMarker: number | undefined;
  for (const p of points) {
    const m = markerAt.get(p.ts.getTime());
    if (m && prevMarker !== undefined && m.firstValue !== prevMarker) epoch++;
    const first: CounterSample = { ts: p.firstTs.getTime(), value: p.firstValue, reset: epoch };
    if (prev) out.push({ key: `b${first.ts}`, end: first.ts, delta: counterDelta(prev, first), ms: first.ts - prev.ts });
    if (p.incMs > 0 || p.resets > 0) {
      const unplaced = m !== undefined && m.min !== m.max && p.resets === 0;
      out.push({ key: `i${p.ts.getTime()}`, end: p.lastTs.getTime(), delta: unplaced ? null : p.inc, ms: p.incMs });
    }
    if (m) {
      if (m.min !== m.max) epoch++;
      prevMarker = m.lastValue;
    }
    prev = { ts: p.lastTs.getTime(), value: p.lastValue, reset: epoch };
  }
  return out;
}

/** Index of the step bucket holding time t, or -1. */
function bucketIndex(t: number, buckets: number[], stepMs: number): number {
  if (buckets.length === 0) return -1;
  const i = Math.floor((t - buckets[0]) / stepMs);
  return i >= 0 && i < buckets.length ? i : -1;
}

/**
 * Per-second rate per bucket: Σ increases / Σ elapsed of the usable intervals ending in it
 * (reset intervals are left out, as in windowDelta); null when none is usable.
 */
export function bucketRates(intervals: CounterInterval[], buckets: number[], stepSeconds: number): Array<number | null> {
  const delta = new Array<number | null>(buckets.length).fill(null);
  const ms = new Array<number>(buckets.length).fill(0);
  for (const iv of intervals) {
    const i = bucketIndex(iv.end, buckets, stepSeconds * 1000);
    if (i < 0 || iv.delta === null || iv.ms <= 0) continue;
    delta[i] = (delta[i] ?? 0) + iv.delta;
    ms[i] += iv.ms;
  }
  return delta.map((d, i) => (d === null || ms[i] <= 0 ? null : d / (ms[i] / 1000)));
}

/** Sum of several rate series bucket by bucket; a bucket where any of them is null is null. */
export function sumStrict(series: Array<Array<number | null>>, n: number): Array<number | null> {
  if (series.length === 0) return new Array(n).fill(null);
  return Array.from({ length: n }, (_, i) => {
    let total = 0;
    for (const s of series) {
      const v = s[i];
      if (v === null) return null;
      total += v;
    }
    return total;
  });
}

/** Mean (Σsum / Σcount) or max of the points whose timestamp falls in each bucket. */
export function bucketGauge(points: RangePoint[], buckets: number[], stepSeconds: number, agg: "avg" | "max"): Array<number | null> {
  const step = stepSeconds * 1000;
  const start = buckets[0] ?? 0;
  const acc = buckets.map(() => ({ sum: 0, count: 0, max: -Infinity }));
  for (const p of points) {
    const i = Math.floor((p.ts.getTime() - start) / step);
    if (i < 0 || i >= acc.length) continue;
    acc[i].sum += p.sum;
    acc[i].count += p.count;
    acc[i].max = Math.max(acc[i].max, p.max);
  }
  return acc.map((a) => (a.count === 0 ? null : agg === "avg" ? a.sum / a.count : a.max));
}

/** Sum across series where at least one has data; null where none has. */
export function sumPresent(series: Array<Array<number | null>>, n: number): Array<number | null> {
  return Array.from({ length: n }, (_, i) => {
    let total: number | null = null;
    for (const s of series) if (s[i] !== null) total = (total ?? 0) + (s[i] as number);
    return total;
  });
}

/** Max across series where at least one has data; null where none has. */
export function maxPresent(series: Array<Array<number | null>>, n: number): Array<number | null> {
  return Array.from({ length: n }, (_, i) => {
    let top: number | null = null;
    for (const s of series) if (s[i] !== null) top = Math.max(top ?? -Infinity, s[i] as number);
    return top;
  });
}

const labelKey = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort());

/**
 * Cache hit ratio (percent) per bucket from summed block deltas of every matching database;
 * null below `minAccesses` block accesses in the bucket. hit and read intervals are paired
 * (same sample times); an interval where either reset is left out of both sums.
 */
export function bucketHitRatio(
  hits: SeriesRange[],
  reads: SeriesRange[],
  markers: SeriesRange[],
  buckets: number[],
  stepSeconds: number,
  minAccesses = 1000,
): Array<number | null> {
  const hitSum = new Array<number>(buckets.length).fill(0);
  const readSum = new Array<number>(buckets.length).fill(0);
  const readByLabels = new Map(reads.map((r) => [labelKey(r.labels), r]));
  const markerByLabels = new Map(markers.map((r) => [labelKey(r.labels), r]));
  for (const h of hits) {
    const r = readByLabels.get(labelKey(h.labels));
    if (!r) continue;
    const m = markerByLabels.get(labelKey(h.labels))?.points ?? [];
    const readIv = new Map(counterIntervals(r.points, m).map((iv) => [iv.key, iv]));
    for (const hv of counterIntervals(h.points, m)) {
      const rv = readIv.get(hv.key);
      const i = bucketIndex(hv.end, buckets, stepSeconds * 1000);
      if (!rv || i < 0 || hv.delta === null || rv.delta === null) continue;
      hitSum[i] += hv.delta;
      readSum[i] += rv.delta;
    }
  }
  return buckets.map((_, i) => {
    const ratio = hitRatio(hitSum[i], readSum[i], minAccesses);
    return ratio === null ? null : ratio * 100;
  });
}

export interface GetSeriesParams {
  targetId: string;
  metric: SeriesMetric;
  from: Date;
  to: Date;
  /** The step asked for; raised to the data's spacing (stepNoFinerThan), the answer says which. */
  stepSeconds: number;
  /** How often the source metric (seriesSourceMetric) is sampled; absent: only the store's resolution bounds the step. */
  cadenceMs?: number;
  /** The database for db_stats/db_size series; all databases summed when absent. */
  database?: string;
  /** A standby's application_name for per-standby series; the worst standby when absent. */
  standby?: string;
  now?: Date;
  resolution?: Resolution;
}


export async function getSeries(store: SeriesReader, asked: GetSeriesParams): Promise<DerivedSeries> {
  const spec = SPECS[asked.metric];
  const now = asked.now ?? new Date();
  const resolution = asked.resolution ?? chooseResolution(asked.from, asked.to, now);
  // Samples come up to a jittered cadence apart, rollups a bucket apart; events count in any bucket.
  // A bucket as long as the cadence alone still misses a sample now and then: a lone point.
  const spacingMs = Math.max(longestTickGapMs(asked.cadenceMs ?? 0), spec.kind === "events" ? 0 : RESOLUTION_MS[resolution]);
  const p = { ...asked, stepSeconds: stepNoFinerThan(asked.stepSeconds, spacingMs) };
  const buckets = stepBuckets(p.from, p.to, p.stepSeconds);
  const base = { metric: p.metric, unit: SERIES_UNITS[p.metric], stepSeconds: p.stepSeconds };
  const zip = (values: Array<number | null>): SeriesPoint[] => buckets.map((b, i) => [new Date(b).toISOString(), values[i]]);
  if (buckets.length === 0) return { ...base, resolution: "raw", points: [] };
  const alignedFrom = new Date(buckets[0]);

  if (spec.kind === "events") {
    const counts = new Map((await store.slowQueryCounts(p.targetId, alignedFrom, p.to, p.stepSeconds)).map(([d, n]) => [d.getTime(), n]));
    // Absence of events is a real zero for buckets that have begun; the future has no data.
    const values = buckets.map((b) => (b > now.getTime() ? null : (counts.get(b) ?? 0) / (p.stepSeconds / 60)));
    return { ...base, resolution: "events", points: zip(values) };
  }

  const labels = p.database === undefined ? null : { datname: p.database };
  // Rates need the sample before the first bucket as an anchor: read a little earlier.
  const margin = (p.stepSeconds + Math.max((RESOLUTION_MS[resolution] / 1000) * 2, 300)) * 1000;
  const read = (name: string, l: Record<string, string> | null): Promise<RangeResult> =>
    store.seriesRange(p.targetId, name, l, new Date(alignedFrom.getTime() - margin), p.to, { resolution, now });

  if (spec.kind === "gauge") {
    const filter = spec.perStandby ? (p.standby === undefined ? null : { application_name: p.standby }) : spec.perDatabase ? labels : null;
    const r = await read(spec.series, filter);
    const perSeries = r.series.map((s) => bucketGauge(s.points, buckets, p.stepSeconds, spec.agg));
    // Lags of several standbys do not add up: the worst one is the figure.
    const values = spec.perStandby ? maxPresent(perSeries, buckets.length) : sumPresent(perSeries, buckets.length);
    return { ...base, resolution: r.resolution, points: zip(values) };
  }

  const markers = spec.kind === "rate" && spec.cluster ? { series: [] } : await read("db_stats.stats_reset_epoch", labels);
  if (spec.kind === "rate") {
    const perSeries: Array<Array<number | null>> = [];
    for (const name of spec.counters) {
      const r = await read(name, spec.cluster ? null : labels);
      for (const s of r.series) {
        const m = markers.series.find((x) => labelKey(x.labels) === labelKey(s.labels))?.points ?? [];
        perSeries.push(bucketRates(counterIntervals(s.points, m), buckets, p.stepSeconds));
      }
    }
    return { ...base, resolution, points: zip(sumStrict(perSeries, buckets.length)) };
  }

  const [hits, reads] = await Promise.all([read("db_stats.blks_hit", labels), read("db_stats.blks_read", labels)]);
  const values = bucketHitRatio(hits.series, reads.series, markers.series, buckets, p.stepSeconds);
  return { ...base, resolution, points: zip(values) };
}

