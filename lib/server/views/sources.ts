import "server-only";
import { loadSqlParser, redactSql } from "@/lib/analysis/sql-text";
import type { Role } from "@/lib/auth/roles";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { unavailableReason, type StoredStatus } from "./availability";

// Where the route handlers read from: the collector's in-memory snapshot first (newest), the
// history store second (after a restart, until the metric's first run). Never the target.

export interface Rows {
  ts: Date;
  rows: readonly unknown[];
}

/** The newest rows of a per-object metric (table_stats, index_stats, index_bloat …). */
export async function currentRows(rt: Runtime, targetId: string, metric: string): Promise<Rows | null> {
  const latest = rt.snapshot(targetId)?.metrics[metric];
  if (latest?.status === "ok") return { ts: latest.ts, rows: latest.rows };
  return rt.store.latestHistoryRows(targetId, metric);
}

/** Rows at or before `at`: the in-memory sample when it is that old already, else the store. */
export async function rowsAt(rt: Runtime, targetId: string, metric: string, at: Date): Promise<Rows | null> {
  const latest = rt.snapshot(targetId)?.metrics[metric];
  if (latest?.status === "ok" && latest.ts <= at) return { ts: latest.ts, rows: latest.rows };
  return rt.store.historyRowsAt(targetId, metric, at);
}

/** "unavailable: reason" per metric, reading the store's status only when the snapshot lacks it. */
export async function availability(rt: Runtime, targetId: string, metrics: readonly string[]): Promise<Record<string, string | null>> {
  const snap = rt.snapshot(targetId);
  let stored: StoredStatus[] | null = null;
  if (metrics.some((m) => !snap?.metrics[m])) stored = await rt.store.metricStatus(targetId).catch(() => null);
  return Object.fromEntries(metrics.map((m) => [m, unavailableReason(snap?.metrics[m], stored, m)]));
}

/** Viewers see literals replaced by the parser; responders and admins see the text as run. */
export async function redactorFor(role: Role): Promise<(text: string) => string> {
  if (role !== "viewer") return (t) => t;
  await loadSqlParser();
  return redactSql;
}

/**
 * For a target another instance holds: why its live figures (sessions, which live only in the
 * collecting instance's memory) are not on this one. Null when this instance holds it, or
 * nobody does yet (a takeover in progress reads as "no sample yet").
 */
export function heldElsewhere(rt: Runtime, targetId: string): string | null {
  if (!rt.leases || rt.collectors.has(targetId)) return null;
  const lease = rt.leases.view().leases.find((l) => l.target_id === targetId && l.live);
  return lease ? `collected by pgpulse instance ${lease.holder_name}: its live sessions are shown there; charts and tables here read the store` : null;
}
