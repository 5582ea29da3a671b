import "server-only";
import type { TableHistoryResponse, TablesResponse } from "@/lib/api/tables";
import { DomainError } from "@/lib/errors";
import { env } from "@/lib/env";
import { MAX_RANGE_MS, RANGE_MS, type RangeKey } from "@/lib/limits";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { parseRows, tableRow } from "./rows";
import { availability, currentRows, rowsAt, type Rows } from "./sources";
import { tableKey, toTables, type TimedRows } from "./tables";

// The tables page: the latest table_stats rows, rates over [from, to] from the stored sets of
// rows within it (and the newest), growth from the store's size history; and one table's size
// over time. Everything from the collector's snapshot or the store, never the target.

const GROWTH_WINDOW_DAYS = 7;
const DEFAULT_RANGE_MS = 3_600_000;
/**
 * Stored sets the rates read within a range, at most: 24 an hour apart over a day, 7 h apart
 * over a week. More sets only narrow what a counter reset costs (the interval it falls in).
 */
const RATE_SLICES = 24;

const timed = (r: Rows | null): TimedRows | null => (r ? { ts: r.ts, rows: parseRows(r.rows, tableRow).rows } : null);

type TablesRange = { range?: RangeKey; from?: string; to?: string };

export async function tablesView(rt: Runtime, targetId: string, q: TablesRange, now = new Date()): Promise<TablesResponse> {
  const to = q.to ? new Date(Math.min(Date.parse(q.to), now.getTime())) : now;
  const from = new Date(Math.max(q.from ? Date.parse(q.from) : to.getTime() - (q.range ? RANGE_MS[q.range] : DEFAULT_RANGE_MS), to.getTime() - MAX_RANGE_MS));
  const threshold = rt.thresholds(targetId).tableSizeBytes;
  const demoBytes = env().PGPULSE_DEMO_TABLE_SIZE_BYTES;

  const [latest, ratePoints, growth, unavailable] = await Promise.all([
    currentRows(rt, targetId, "table_stats"),
    rateRows(rt, targetId, from, to),
    rt.store.tableGrowthAll(targetId, now, GROWTH_WINDOW_DAYS, threshold),
    availability(rt, targetId, ["table_stats"]),
  ]);
  return toTables({
    targetId,
    latest: timed(latest),
    cadenceMs: rt.cadenceMs("table_stats"),
    ratePoints,
    range: { from, to },
    growth,
    thresholdBytes: threshold,
    thresholdIsDemo: rt.demo && demoBytes !== undefined && demoBytes === threshold,
    unavailable: unavailable.table_stats,
  });
}

/**
 * The answer up to now (the last hour by default, or `range`) is built once per table_stats result
 * (answer-cache.ts); an explicit range, or rows only in the store, builds every time. Rates and
 * growth also read the store's row history, which moves at most every few minutes: the answer
 * is "as of the snapshot it was built on", as its takenAt says.
 */
export function tablesVersion(rt: Runtime, targetId: string, q: TablesRange): { key: string; version: readonly unknown[] | null } {
  const latest = rt.latest(targetId, "table_stats");
  return { key: `tables:${targetId}:${q.range ?? "default"}`, version: q.from === undefined && q.to === undefined && latest?.status === "ok" ? [latest] : null };
}

/**
 * The sets the rates run over, oldest first: the last stored at or before `from` (so the rates
 * span the whole range when history does), the first of each slice within it, and the rows at
 * `to` (the live snapshot for a range ending now). When history begins inside the range (a
 * fresh install, the demo's simulated weeks before its first real sample), the rates cover the
 * part it holds, and the answer says so (ratesNote). Sets without write counters are left out.
 */
async function rateRows(rt: Runtime, targetId: string, from: Date, to: Date): Promise<TimedRows[]> {
  const [before, within, end] = await Promise.all([
    rt.store.historyRowsAt(targetId, "table_stats", from),
    rt.store.historyRowsWithin(targetId, "table_stats", from, to, RATE_SLICES),
    rowsAt(rt, targetId, "table_stats", to),
  ]);
  const byTs = new Map<number, TimedRows>();
  for (const r of [before, ...within, end]) {
    const t = timed(r);
    if (t && t.rows.some((row) => row.n_tup_ins !== null)) byTs.set(t.ts.getTime(), t);
  }
  return [...byTs.values()].sort((a, b) => a.ts.getTime() - b.ts.getTime());
}

/** One table's total size over the range, from the store's low-cadence size history. */
export async function tableHistoryView(rt: Runtime, targetId: string, q: { schema: string; table: string; from: string; to: string }): Promise<TableHistoryResponse> {
  const to = new Date(q.to);
  const from = new Date(Math.max(Date.parse(q.from), to.getTime() - MAX_RANGE_MS));
  if (from >= to) throw new DomainError(400, "invalid from: from must be before to", { param: "from" });
  const points = await rt.store.objectHistory(targetId, "table_stats", tableKey(q.schema, q.table), from, to);
  return {
    schema: q.schema,
    table: q.table,
    unit: "bytes",
    points: points.map((p) => [p.ts.toISOString(), p.bytes]),
    cadenceMs: rt.rowHistoryCadenceMs("table_stats"),
  };
}
