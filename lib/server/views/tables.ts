import { type TableRow, type TablesResponse } from "@/lib/api/tables";
import type { TableGrowthRow } from "@/lib/store/types";
import type { TableStatsRow } from "./rows";
import { likelyNeedsIndex } from "@/lib/analysis/needs-index";

// table_stats rows → the tables page's contract. Rates come from two sets of rows' counter
// deltas over the real time between them (never lifetime totals: PG-FACTS); a counter that went
// down is a reset and its rate a gap. Partitions follow their parent, which carries the sizes
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
  /** The rates' end and start: rows at (or just before) the range's end and start. */
  rateEnd: TimedRows | null;
  rateStart: TimedRows | null;
  growth: readonly TableGrowthRow[];
  thresholdBytes: number;
  thresholdIsDemo: boolean;
  unavailable: string | null;
}

/** Below this the two sets of rows are the same sample, or nearly: no rate. */
const MIN_RATE_SPAN_MS = 1_000;

export const tableKey = (schema: string, table: string) => `${schema}.${table}`;

/** Per-second rate of a counter between two samples; null when unknown or reset. */
export function counterRate(start: number | null | undefined, end: number | null | undefined, spanMs: number): number | null {
  if (start === null || start === undefined || end === null || end === undefined) return null;
  if (spanMs < MIN_RATE_SPAN_MS) return null;
  const delta = end - start;
  if (delta < 0) return null;
  return delta / (spanMs / 1000);
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
  const start = new Map((input.rateStart?.rows ?? []).map((r) => [tableKey(r.schemaname, r.relname), r]));
  const end = new Map((input.rateEnd?.rows ?? []).map((r) => [tableKey(r.schemaname, r.relname), r]));
  const spanMs = input.rateStart && input.rateEnd ? input.rateEnd.ts.getTime() - input.rateStart.ts.getTime() : 0;
  const rows = latestRows.map((r) => {
    const key = tableKey(r.schemaname, r.relname);
    const a = start.get(key);
    const b = end.get(key);
    const rates = {
      insPerSecond: counterRate(a?.n_tup_ins, b?.n_tup_ins, spanMs),
      updPerSecond: counterRate(a?.n_tup_upd, b?.n_tup_upd, spanMs),
      delPerSecond: counterRate(a?.n_tup_del, b?.n_tup_del, spanMs),
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
    rows: groupPartitions(rows),
  };
}
