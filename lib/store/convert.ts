import type { MetricDefinition, MetricResult, SeriesValue } from "@/lib/metrics/types";

// Turns one MetricResult into the rows the store writes. Pure: no I/O, no clock.

export type DefinitionLookup = (id: string) => MetricDefinition | undefined;

export interface SampleWrite {
  targetId: string;
  name: string;
  /** Canonical JSON (sorted keys), also the series cache key part. */
  labels: string;
  kind: "counter" | "gauge";
  ts: number;
  value: number;
}

export interface HistoryRowWrite {
  targetId: string;
  metric: string;
  ts: Date;
  objectKey: string;
  bytes: number | null;
  liveTuples: number | null;
  deadTuples: number | null;
  pct: number | null;
  row: Record<string, unknown>;
}

/**
 * Row-history metrics whose per-object numbers (snapshot_values) some reader reads: the tables
 * history, growth and the weekly table sizes, all table_stats. Index and bloat numbers are read
 * from the whole sets (snapshot_sets), so writing their per-object rows only cost bytes: they
 * were 80 % of snapshot_values at 1,000 tables / 2,000 indexes (bench/store-size).
 */
export const ROW_HISTORY_VALUE_METRICS: ReadonlySet<string> = new Set(["table_stats"]);

export type SlowSource = "slow_query_log" | "pg_stat_statements" | "running";

export interface EventWrite {
  targetId: string;
  source: SlowSource;
  dedupeKey: string;
  fingerprint: string;
  query: string;
  durationMs: number;
  calls: number | null;
  totalMs: number | null;
  maxMs: number | null;
  capturedAt: Date;
  queryid: string | null;
  pid: number | null;
  username: string | null;
  datname: string | null;
}

export interface Converted {
  samples: SampleWrite[];
  historyRows: HistoryRowWrite[];
  events: EventWrite[];
  /** Set for the synthetic `up` metric: the probe's outcome and the server it last reached. */
  up?: { up: boolean; error: string | null; serverVersion: string | null; role: "primary" | "standby" | null };
  /** A metric with rows but no definition: nothing is stored for it. */
  unknownMetric?: boolean;
}

export function canonicalLabels(labels: Record<string, string>): string {
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) sorted[k] = labels[k];
  return JSON.stringify(sorted);
}

/** A finite number from a row cell, or null. Booleans count as 1/0, numeric strings parse. */
export function toNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function toDate(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === "string" || typeof v === "number") {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return String(v);
}

/** The default mapping: one series per row label set × counter/gauge column. */
export function defaultSeries(def: MetricDefinition, rows: Record<string, unknown>[]): SeriesValue[] {
  const out: SeriesValue[] = [];
  for (const row of rows) {
    const labels: Record<string, string> = {};
    for (const l of def.labels) labels[l] = row[l] === null || row[l] === undefined ? "" : String(row[l]);
    for (const c of def.counters) out.push({ name: `${def.id}.${c}`, labels, value: toNumber(row[c]), kind: "counter" });
    for (const g of def.gauges) out.push({ name: `${def.id}.${g}`, labels, value: toNumber(row[g]), kind: "gauge" });
  }
  return out;
}

const OBJECT_LABELS_FALLBACK = ["schemaname", "relname", "indexrelname"];

/** "schema.table" or "schema.table.index": the labels' values joined by dots. */
export function objectKey(def: MetricDefinition | undefined, row: Record<string, unknown>): string {
  const labels = def?.labels.length ? def.labels : OBJECT_LABELS_FALLBACK.filter((l) => l in row);
  return labels.map((l) => String(row[l] ?? "")).join(".");
}

function firstNumber(row: Record<string, unknown>, cols: string[]): number | null {
  for (const c of cols) {
    const n = toNumber(row[c]);
    if (n !== null) return n;
  }
  return null;
}

export function toHistoryRow(def: MetricDefinition | undefined, result: { metric: string; targetId: string; ts: Date }, row: Record<string, unknown>): HistoryRowWrite {
  return {
    targetId: result.targetId,
    metric: result.metric,
    ts: result.ts,
    objectKey: objectKey(def, row),
    bytes: firstNumber(row, ["total_bytes", "index_bytes", "size_bytes", "bytes"]),
    liveTuples: firstNumber(row, ["n_live_tup", "reltuples"]),
    deadTuples: firstNumber(row, ["n_dead_tup"]),
    pct: firstNumber(row, ["bloat_percent", "bloat_pct", "dead_pct"]),
    row,
  };
}

const SOURCES = new Set<SlowSource>(["slow_query_log", "pg_stat_statements", "running"]);

/**
 * One event per slow statement. Dedupe keys: a running statement seen on several polls is one
 * event per (pid, start, fingerprint) — start is started_at (query_start) when the row has it, else
 * captured_at − duration rounded to the second; a log row once per log id; a
 * pg_stat_statements window once per (queryid or fingerprint, db, user, window end).
 */
export function toEvent(targetId: string, fallbackTs: Date, row: Record<string, unknown>): EventWrite | null {
  const source = row.source as SlowSource;
  const fingerprint = str(row.fingerprint);
  const durationMs = toNumber(row.duration_ms);
  if (!SOURCES.has(source) || !fingerprint || durationMs === null) return null;
  const capturedAt = toDate(row.captured_at) ?? fallbackTs;
  const pid = toNumber(row.pid);
  const queryid = str(row.queryid);
  const datname = str(row.datname);
  const username = str(row.username);
  let dedupeKey: string;
  if (source === "running") {
    const start = toDate(row.started_at ?? row.query_start)?.getTime() ?? Math.round((capturedAt.getTime() - durationMs) / 1000) * 1000;
    dedupeKey = `run:${pid ?? ""}:${start}:${fingerprint}`;
  } else if (source === "slow_query_log") {
    const id = str(row.id ?? row.log_id);
    dedupeKey = id ? `log:${id}` : `log:${fingerprint}:${capturedAt.getTime()}`;
  } else {
    dedupeKey = `pss:${queryid ?? fingerprint}:${datname ?? ""}:${username ?? ""}:${capturedAt.getTime()}`;
  }
  return {
    targetId,
    source,
    dedupeKey,
    fingerprint,
    query: str(row.query) ?? "",
    durationMs,
    calls: toNumber(row.calls),
    totalMs: toNumber(row.total_ms),
    maxMs: toNumber(row.max_ms),
    capturedAt,
    queryid,
    pid,
    username,
    datname,
  };
}

export interface ConvertOptions {
  /**
   * Also store a row-history metric's own toSeries output (per-object series). Off by default:
   * snapshot_values already hold each object's size/tuples/percent history, and per-object
   * series cost raw + minute + hour rows for every object (measured in bench/store-size).
   */
  rowHistorySeries?: boolean;
}

export function convertResult(result: MetricResult, lookup: DefinitionLookup, opts: ConvertOptions = {}): Converted {
  const out: Converted = { samples: [], historyRows: [], events: [] };
  if (result.status !== "ok") return out;
  const { targetId, ts, metric, rows } = result;
  const pushSeries = (values: SeriesValue[]) => {
    for (const v of values) {
      // A null value is not stored: the gap stays a gap.
      if (v.value === null || !Number.isFinite(v.value)) continue;
      out.samples.push({ targetId, name: v.name, labels: canonicalLabels(v.labels), kind: v.kind, ts: ts.getTime(), value: v.value });
    }
  };

  if (metric === "up") {
    const row = rows[0] ?? {};
    const up = toNumber(row.up);
    if (up !== null) {
      pushSeries([{ name: "up.up", labels: {}, value: up, kind: "gauge" }]);
      const role = row.role === "primary" || row.role === "standby" ? row.role : null;
      out.up = { up: up === 1, error: str(row.error), serverVersion: str(row.server_version), role };
    }
    return out;
  }
  if (metric === "slow_queries") {
    for (const row of rows) {
      const e = toEvent(targetId, ts, row);
      if (e) out.events.push(e);
    }
    return out;
  }
  const def = lookup(metric);
  if (!def) {
    out.unknownMetric = rows.length > 0;
    return out;
  }
  if (def.rowHistory) {
    for (const row of rows) out.historyRows.push(toHistoryRow(def, result, row));
    // Per-object series are not stored by default: the row history's extracted columns already
    // hold the history, and the series count stays bounded by databases, not by objects.
    if (def.toSeries && opts.rowHistorySeries) pushSeries(def.toSeries(rows));
    return out;
  }
  pushSeries(def.toSeries ? def.toSeries(rows) : defaultSeries(def, rows));
  return out;
}
