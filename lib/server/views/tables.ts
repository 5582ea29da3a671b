import { type TableRow, type TablesResponse } from "@/lib/api/tables";
import type { TableGrowthRow } from "@/lib/store/types";
import type { TableStatsRow } from "./rows";
import { likelyNeedsIndex } from "@/lib/analysis/needs-index";
import { windowDelta } from "@/lib/analysis/counters";
import { formatDuration } from "@/lib/format/duration";

// table_stats rows → the tables page's contract. Rates come from stored sets of rows within the
// range: counter deltas between consecutive sets over the real time between them (never
// lifetime totals: PG-FACTS); an interval in which a counter went down is a reset, left out of
// both the increase and the time, so a reset costs coverage, never a wrong number. Partitions follow their parent, which carries the sizes
// summed over its leaves (the collector's SQL sums them).

export interface TimedRows {
  ts: Date;
  rows: TableStatsRow[];
}

export interface TablesInput {
  targetId: string;
  latest: TimedRows | null;
  /** table_stats' cadence on this server (lib/server/wiring/cadence.ts). */
  cadenceMs: number;
  /** Sets of rows with write counters over the range, oldest first (tables-read.ts picks them). */
  ratePoints: readonly TimedRows[];
  /** The range asked for: how much of it the rates cover is said when it is not all. */
  range: { from: Date; to: Date };
  growth: readonly TableGrowthRow[];
  thresholdBytes: number;
  thresholdIsDemo: boolean;
  unavailable: string | null;
}

/** Below this the two sets of rows are the same sample, or nearly: no rate. */
const MIN_RATE_SPAN_MS = 1_000;

export const tableKey = (schema: string, table: string) => `${schema}.${table}`;

/** Rates that start this much after the range does say so (a young store, a gap in history). */
const COVERAGE_SLACK = 0.1;

/**
 * Per-second rate of a counter over samples (oldest first): the known increases over the time
 * they cover; null when no interval is usable (missing values, resets, too short).
 */
export function counterRate(samples: ReadonlyArray<{ ts: number; value: number | null | undefined }>): number | null {
  const w = windowDelta(samples.map((s) => ({ ts: s.ts, value: s.value ?? null })));
  if (w.delta === null || w.elapsedMs < MIN_RATE_SPAN_MS) return null;
  return w.delta / (w.elapsedMs / 1000);
}

/** What the page says about the rates: why there are none, or how much of the range they cover. */
export function ratesNote(points: readonly TimedRows[], range: { from: Date; to: Date }): string | null {
  if (points.length < 2) {
    return points.length === 0
      ? "write rates need two samples in the range: none with write counters is stored yet"
      : "write rates need two samples in the range: only one with write counters is stored so far";
  }
  const first = points[0].ts.getTime();
  const last = points[points.length - 1].ts.getTime();
  const rangeMs = range.to.getTime() - range.from.getTime();
  if (first - range.from.getTime() <= COVERAGE_SLACK * rangeMs) return null;
  return `write rates over the last ${formatDuration(last - first)} of the range: the stored samples with write counters begin there`;
}

export function toTableRow(r: TableStatsRow, rates: Pick<TableRow, "insPerSecond" | "updPerSecond" | "delPerSecond">, growth: TableGrowthRow | undefined, thresholdBytes: number): TableRow {
  const over = r.total_bytes !== null && r.total_bytes >= thresholdBytes;
  const row: TableRow = {
    schema: r.schemaname,
    table: r.relname,
    parent: r.parent,
    isPartitioned: r.is_partitioned,
    nextMonthPartitionExists: r.next_month_partition_exists,
    totalBytes: r.total_bytes,
    tableBytes: r.heap_bytes,
    indexBytes: r.indexes_bytes,
    toastBytes: r.toast_bytes,
    sizeUnavailable: r.size_unavailable,
    seqScan: r.seq_scan,
    idxScan: r.idx_scan,
    nTupIns: r.n_tup_ins,
    nTupUpd: r.n_tup_upd,
    nTupDel: r.n_tup_del,
    ...rates,
    nLiveTup: r.n_live_tup,
    nDeadTup: r.n_dead_tup,
    lastVacuum: r.last_vacuum,
    lastAutovacuum: r.last_autovacuum,
    lastAnalyze: r.last_analyze,
    lastAutoanalyze: r.last_autoanalyze,
    growthBytesPerDay: growth?.growthBytesPerDay ?? null,
    // Growth history can lag the latest sample; a table over the limit now is over it.
    daysToThreshold: over ? 0 : (growth?.daysToThreshold ?? null),
    crossesAt: over ? null : (growth?.crossesAt?.toISOString() ?? null),
  };
  return { ...row, likelyNeedsIndex: likelyNeedsIndex(row) };
}

/** Top-level tables by name, each followed by its partitions (recursively). */
export function groupPartitions<T extends { schema: string; table: string; parent: string | null }>(rows: readonly T[]): T[] {
  const keys = new Set(rows.map((r) => tableKey(r.schema, r.table)));
  const children = new Map<string, T[]>();
  const tops: T[] = [];
  for (const r of rows) {
    // A partition whose parent is not in the sample (another schema filtered out) stands alone.
    if (r.parent !== null && keys.has(r.parent)) {
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    } else tops.push(r);
  }
  const byName = (a: T, b: T) => a.schema.localeCompare(b.schema) || a.table.localeCompare(b.table);
  const out: T[] = [];
  const seen = new Set<string>();
  const stack = [...tops].sort(byName).reverse();
  while (stack.length > 0) {
    const r = stack.pop()!;
    const key = tableKey(r.schema, r.table);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
    const kids = [...(children.get(key) ?? [])].sort(byName).reverse();
    stack.push(...kids);
  }
  return out;
}

export function toTables(input: TablesInput): TablesResponse {
  const latestRows = input.latest?.rows ?? [];
  const growthByKey = new Map(input.growth.map((g) => [g.objectKey, g]));
  const points = input.ratePoints.map((p) => ({ ts: p.ts.getTime(), byKey: new Map(p.rows.map((r) => [tableKey(r.schemaname, r.relname), r])) }));
  const rows = latestRows.map((r) => {
    const key = tableKey(r.schemaname, r.relname);
    const series = (counter: "n_tup_ins" | "n_tup_upd" | "n_tup_del") => points.map((p) => ({ ts: p.ts, value: p.byKey.get(key)?.[counter] }));
    const rates = {
      insPerSecond: counterRate(series("n_tup_ins")),
      updPerSecond: counterRate(series("n_tup_upd")),
      delPerSecond: counterRate(series("n_tup_del")),
    };
    return toTableRow(r, rates, growthByKey.get(key), input.thresholdBytes);
  });
  const sources = new Set(latestRows.map((r) => r.source).filter((s) => s !== null));
  return {
    targetId: input.targetId,
    takenAt: input.latest ? input.latest.ts.toISOString() : null,
    cadenceMs: input.cadenceMs,
    unavailable: input.unavailable,
    // performance_metrics when every row came from it; a mix means the view misses some tables.
    source: sources.size === 0 ? null : sources.size === 1 && sources.has("performance_metrics") ? "performance_metrics" : "pg_stat_user_tables",
    thresholdBytes: input.thresholdBytes,
    thresholdIsDemo: input.thresholdIsDemo,
    ratesFrom: points.length >= 2 ? input.ratePoints[0].ts.toISOString() : null,
    ratesTo: points.length >= 2 ? input.ratePoints[points.length - 1].ts.toISOString() : null,
    ratesNote: ratesNote(input.ratePoints, input.range),
    rows: groupPartitions(rows),
  };
}
