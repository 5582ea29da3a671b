import "server-only";
import { resolveRule } from "@/lib/alerts/rules";
import type { IndexesResponse } from "@/lib/api/indexes";
import type { TargetConfig } from "@/lib/config/schema";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { summarizeTarget } from "@/lib/server/views/targets";
import { toIndexes } from "./indexes";
import { bloatRow, indexRow, parseRows } from "./rows";
import { availability, currentRows } from "./sources";

/** index_stats joined with the latest index_bloat figures, from the snapshot or the store. */
export async function indexesView(rt: Runtime, target: TargetConfig): Promise<IndexesResponse> {
  const [stats, bloat, unavailable] = await Promise.all([
    currentRows(rt, target.id, "index_stats"),
    currentRows(rt, target.id, "index_bloat"),
    availability(rt, target.id, ["index_stats", "index_bloat"]),
  ]);
  return toIndexes({
    targetId: target.id,
    stats: stats && { ts: stats.ts, rows: parseRows(stats.rows, indexRow).rows },
    cadenceMs: rt.cadenceMs("index_stats"),
    bloat: bloat && { ts: bloat.ts, rows: parseRows(bloat.rows, bloatRow).rows },
    unavailable: unavailable.index_stats,
    bloatUnavailable: unavailable.index_bloat,
    bloatThresholdPercent: rt.thresholds(target.id).indexBloatPercent,
    minIndexBytes: resolveRule("index_bloat", rt.config, target.id).minIndexBytes,
    statsResetAt: statsResetAt(rt.snapshot(target.id)?.metrics.db_stats, summarizeTarget(target).database),
  });
}

/** "Unused" means no scans since this moment: the target database's stats_reset. */
function statsResetAt(dbStats: { status: string; rows?: Record<string, unknown>[] } | undefined, database: string): string | null {
  if (dbStats?.status !== "ok" || !dbStats.rows) return null;
  const epoch = dbStats.rows.find((r) => r.datname === database)?.stats_reset_epoch;
  return typeof epoch === "number" && Number.isFinite(epoch) ? new Date(epoch * 1000).toISOString() : null;
}

/** Built once per index_stats / index_bloat / db_stats result (answer-cache.ts); null until the snapshot has index_stats. */
export function indexesVersion(rt: Runtime, target: TargetConfig): { key: string; version: readonly unknown[] | null } {
  const [stats, bloat] = [rt.latest(target.id, "index_stats"), rt.latest(target.id, "index_bloat")];
  return { key: `indexes:${target.id}`, version: stats?.status === "ok" && bloat ? [stats, bloat, rt.latest(target.id, "db_stats")] : null };
}
