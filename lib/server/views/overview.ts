import { privilegeWarnings } from "./privilege-warnings";
import type { Point } from "@/lib/api/common";
import type { OverviewTarget } from "@/lib/api/overview";
import type { TargetSnapshot } from "@/lib/collector/types";
import { activityRow, connectionsRow, parseRows, type TableStatsRow } from "./rows";
import { replicationFigures } from "./overview-replication";

// One fleet row per target, from the collector's snapshot, the store's series and the alert
// table: never a query on the target.

export interface AlertLike {
  targetId: string;
  state: string;
  severity: "critical" | "warning" | "info";
}

export interface OverviewInput {
  id: string;
  name: string;
  snapshot: TargetSnapshot | undefined;
  alerts: readonly AlertLike[];
  tables: readonly TableStatsRow[] | null;
  sparklines: { tps: Point[]; connections: Point[]; cacheHitRatio: Point[] };
  /** Cache hit ratio over a longer step, so a quiet minute does not fall below the floor. */
  cacheHitRatioWindow: Point[];
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

export function toOverviewTarget(input: OverviewInput): OverviewTarget {
  const s = input.snapshot;
  const polled = !!s && (s.lastSampleAt !== null || s.lastError !== null);
  const sa = s?.metrics.stat_activity;
  const conn = s?.metrics.connections;
  const sessions = sa?.status === "ok" ? parseRows(sa.rows, activityRow).rows : null;
  const connRow = conn?.status === "ok" ? parseRows(conn.rows, connectionsRow).rows[0] : undefined;
  return {
    id: input.id,
    name: input.name,
    up: polled ? s!.up : null,
    downSince: s?.downSince?.toISOString() ?? null,
    lastError: s?.lastError ?? null,
    lastSampleAt: s?.lastSampleAt?.toISOString() ?? null,
    serverVersion: s?.capabilities?.serverVersion ?? null,
    role: s?.capabilities?.role ?? null,
    alerts: alertCountsFor(input.id, input.alerts),
    sessions: sessions
      ? { total: sessions.length, active: sessions.filter((r) => r.state === "active").length, max: connRow?.max_connections ?? null }
      : null,
    tps: lastValue(input.sparklines.tps),
    cacheHitRatio: lastValue(input.cacheHitRatioWindow),
    largestTable: largestTable(input.tables),
    sparklines: input.sparklines,
    ...replicationFigures(s),
    privilegeWarnings: privilegeWarnings(s?.capabilities ?? null),
  };
}
