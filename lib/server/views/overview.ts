import { privilegeWarnings } from "./privilege-warnings";
import type { Point } from "@/lib/api/common";
import { SEVERITY_ORDER } from "@/lib/api/alert-view";
import { fleetStatus } from "@/lib/api/fleet";
import type { CompactSeries, OverviewTarget } from "@/lib/api/overview";
import type { TargetConfig } from "@/lib/config/schema";
import { summarizeTarget } from "./targets";
import type { TargetSnapshot } from "@/lib/collector/types";
import { activityRow, connectionsRow, parseRows, type TableStatsRow } from "./rows";
import { replicationFigures } from "./overview-replication";
import { shownState, type StoredTarget } from "./target-state";

// One fleet row per target, from the collector's snapshot, the store's series and the alert
// table: never a query on the target.

export interface AlertLike {
  id?: number;
  rule?: string;
  targetId: string;
  state: string;
  severity: "critical" | "warning" | "info";
}

/** What the store says of a target another instance polls (or nobody does). */
export interface StoredState {
  /** The live lease's holder; null: nobody polls it now, so its last state is not current. */
  heldBy: { id: string; name: string } | null;
  /** Its lease row with the state its holder recorded (lib/fleet/lease-store.ts readFleet). */
  lease: StoredTarget | undefined;
}

export interface OverviewInput {
  target: TargetConfig;
  /** The collector's snapshot when this instance polls the target; undefined otherwise. */
  snapshot: TargetSnapshot | undefined;
  /** Read from the store when the snapshot is not this instance's. */
  stored: StoredState;
  alerts: readonly AlertLike[];
  tables: readonly TableStatsRow[] | null;
  /** Derived by getSeries from the store, at minute resolution. */
  series: { connections: Point[]; tps: Point[]; longestQuery: Point[] };
  /** Cache hit ratio over a longer step, so a quiet minute does not fall below the floor. */
  cacheHitRatioWindow: Point[];
  /** The server's usable connection slots as last stored for this target (its share owner stores them). */
  storedUsable: number | null;
}

export function lastValue(points: readonly Point[]): number | null {
  for (let i = points.length - 1; i >= 0; i--) if (points[i][1] !== null) return points[i][1];
  return null;
}

export function alertCountsFor(targetId: string, alerts: readonly AlertLike[]): OverviewTarget["alerts"] {
  const c = { critical: 0, warning: 0, info: 0, pending: 0 };
  for (const a of alerts) {
    if (a.targetId !== targetId) continue;
    if (a.state === "pending") c.pending++;
    else if (a.state === "firing") c[a.severity]++;
  }
  return c;
}

export function largestTable(rows: readonly TableStatsRow[] | null): OverviewTarget["largestTable"] {
  let best: TableStatsRow | null = null;
  // Partitions are inside their parent's summed size: only top-level tables compete.
  for (const r of rows ?? []) {
    if (r.parent !== null || r.total_bytes === null) continue;
    if (!best || r.total_bytes > (best.total_bytes ?? -1)) best = r;
  }
  return best ? { schema: best.schemaname, table: best.relname, totalBytes: best.total_bytes! } : null;
}

/** Firing alerts of one target by rule: the worst severity of each, the worst rules first. */
export function firingByRule(targetId: string, alerts: readonly AlertLike[]): OverviewTarget["firing"] {
  const byRule = new Map<string, AlertLike[]>();
  for (const a of alerts) if (a.targetId === targetId && a.state === "firing") byRule.set(a.rule ?? "", [...(byRule.get(a.rule ?? "") ?? []), a]);
  return [...byRule.entries()]
    .map(([rule, list]) => ({
      rule,
      severity: list.map((a) => a.severity).sort((x, y) => SEVERITY_ORDER[x] - SEVERITY_ORDER[y])[0],
      count: list.length,
      alertId: list.length === 1 && list[0].id !== undefined ? String(list[0].id) : null,
    }))
    .sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || y.count - x.count || x.rule.localeCompare(y.rule));
}

/** Points of a getSeries answer as a compact series (they are step-aligned, gaps kept). */
export function compact(points: readonly Point[], stepSeconds: number, fallbackFrom: Date): CompactSeries {
  return { from: points[0]?.[0] ?? fallbackFrom.toISOString(), stepSeconds, values: points.map((p) => p[1]) };
}

export function toOverviewTarget(input: OverviewInput, sparkStepSeconds: number, sparkFrom: Date): OverviewTarget {
  const s = input.snapshot;
  const summary = summarizeTarget(input.target, s);
  const sa = s?.metrics.stat_activity;
  const conn = s?.metrics.connections;
  const sessions = sa?.status === "ok" ? parseRows(sa.rows, activityRow).rows : null;
  const connRow = conn?.status === "ok" ? parseRows(conn.rows, connectionsRow).rows[0] : undefined;
  const alerts = alertCountsFor(input.target.id, input.alerts);
  // The snapshot here, else what the holder recorded in the store (the same as /api/health).
  const state = shownState(s, input.stored.lease);
  return {
    id: input.target.id,
    name: input.target.name,
    host: summary.host,
    port: summary.port,
    database: summary.database,
    tags: input.target.tags ?? {},
    status: fleetStatus({ up: state.up, firing: alerts }),
    heldBy: input.stored.heldBy,
    source: s ? "memory" : "store",
    ...state,
    alerts,
    firing: firingByRule(input.target.id, input.alerts),
    sessions: sessions
      ? { total: sessions.length, active: sessions.filter((r) => r.state === "active").length, max: connRow?.max_connections ?? null }
      : null,
    connections: { used: sessions ? sessions.length : lastValue(input.series.connections), usable: connRow?.usable ?? input.storedUsable },
    longestQuerySeconds: lastValue(input.series.longestQuery),
    tps: lastValue(input.series.tps),
    cacheHitRatio: lastValue(input.cacheHitRatioWindow),
    largestTable: largestTable(input.tables),
    sparkline: compact(input.series.connections, sparkStepSeconds, sparkFrom),
    ...replicationFigures(s),
    privilegeWarnings: privilegeWarnings(s?.capabilities ?? null),
  };
}
