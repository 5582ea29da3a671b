import "server-only";
import type { TableHistoryResponse, TablesResponse } from "@/lib/api/tables";
import { DomainError } from "@/lib/errors";
import { env } from "@/lib/env";
import { MAX_RANGE_MS, RANGE_MS, type RangeKey } from "@/lib/limits";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { parseRows, tableRow } from "./rows";
import { availability, currentRows, rowsAt, type Rows } from "./sources";
import { tableKey, toTables, type TimedRows } from "./tables";

// The tables page: the latest table_stats rows, rates over [from, to] from two sets of rows,
// growth from the store's size history; and one table's size over time. Everything from the
// collector's snapshot or the store, never the target.

const GROWTH_WINDOW_DAYS = 7;
const DEFAULT_RANGE_MS = 3_600_000;

const timed = (r: Rows | null): TimedRows | null => (r ? { ts: r.ts, rows: parseRows(r.rows, tableRow).rows } : null);

type TablesRange = { range?: RangeKey; from?: string; to?: string };

export async function tablesView(rt: Runtime, targetId: string, q: TablesRange, now = new Date()): Promise<TablesResponse> {
  const to = q.to ? new Date(Math.min(Date.parse(q.to), now.getTime())) : now;
  const from = new Date(Math.max(q.from ? Date.parse(q.from) : to.getTime() - (q.range ? RANGE_MS[q.range] : DEFAULT_RANGE_MS), to.getTime() - MAX_RANGE_MS));
  const threshold = rt.thresholds(targetId).tableSizeBytes;
  const demoBytes = env().PGPULSE_DEMO_TABLE_SIZE_BYTES;

  const [latest, rateEnd, rateStart, growth, unavailable] = await Promise.all([
    currentRows(rt, targetId, "table_stats"),
    rowsAt(rt, targetId, "table_stats", to),
    rateStartRows(rt, targetId, from, to),
    rt.store.tableGrowthAll(targetId, now, GROWTH_WINDOW_DAYS, threshold),
    availability(rt, targetId, ["table_stats"]),
  ]);
  return toTables({
    targetId,
    latest: timed(latest),
    cadenceMs: rt.cadenceMs("table_stats"),
    rateEnd: timed(rateEnd),
    rateStart: timed(rateStart),
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
  const latest = rt.snapshot(targetId)?.metrics.table_stats;
  return { key: `tables:${targetId}:${q.range ?? "default"}`, version: q.from === undefined && q.to === undefined && latest?.status === "ok" ? [latest] : null };
}

/**
 * The rates' start: the last stored rows at or before `from`. When history begins inside the
 * range (a fresh install), the earliest found at a few points into it, so a young store still
 * gives a rate over the part of the range it covers.
 */
async function rateStartRows(rt: Runtime, targetId: string, from: Date, to: Date): Promise<Rows | null> {
  const span = to.getTime() - from.getTime();
  for (const f of [0, 0.25, 0.5, 0.75, 0.9]) {
    const r = await rt.store.historyRowsAt(targetId, "table_stats", new Date(from.getTime() + f * span));
    // Simulated demo history carries sizes only: rows without counters cannot start a rate.
    if (r && r.rows.some((row) => typeof (row as { n_tup_ins?: unknown }).n_tup_ins === "number")) return r;
  }
  return null;
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
