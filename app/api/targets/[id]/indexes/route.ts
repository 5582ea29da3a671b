import { NextResponse } from "next/server";
import { indexesResponseSchema } from "@/lib/api/indexes";
import { resolveRule } from "@/lib/alerts/rules";
import { requireRole } from "@/lib/auth/require-role";
import { route, targetOr404 } from "@/lib/server/route";
import { summarizeTarget } from "@/lib/server/target-summary";
import { toIndexes } from "@/lib/server/views/indexes";
import { bloatRow, indexRow, parseRows } from "@/lib/server/views/rows";
import { availability, currentRows } from "@/lib/server/views/sources";

export const dynamic = "force-dynamic";

// index_stats joined with the latest index_bloat figures, from the snapshot or the store.
export const GET = route<{ id: string }>(async (req, { params, rt }) => {
  await requireRole(req, "viewer");
  const target = targetOr404(rt, params.id);
  const [stats, bloat, unavailable] = await Promise.all([
    currentRows(rt, target.id, "index_stats"),
    currentRows(rt, target.id, "index_bloat"),
    availability(rt, target.id, ["index_stats", "index_bloat"]),
  ]);
  const body = toIndexes({
    targetId: target.id,
    stats: stats && { ts: stats.ts, rows: parseRows(stats.rows, indexRow).rows },
    bloat: bloat && { ts: bloat.ts, rows: parseRows(bloat.rows, bloatRow).rows },
    unavailable: unavailable.index_stats,
    bloatUnavailable: unavailable.index_bloat,
    bloatThresholdPercent: rt.thresholds(target.id).indexBloatPercent,
    minIndexBytes: resolveRule("index_bloat", rt.config, target.id).minIndexBytes,
    statsResetAt: statsResetAt(rt.snapshot(target.id)?.metrics.db_stats, summarizeTarget(target).database),
  });
  return NextResponse.json(indexesResponseSchema.parse(body));
});

/** "Unused" means no scans since this moment: the target database's stats_reset. */
function statsResetAt(dbStats: { status: string; rows?: Record<string, unknown>[] } | undefined, database: string): string | null {
  if (dbStats?.status !== "ok" || !dbStats.rows) return null;
  const epoch = dbStats.rows.find((r) => r.datname === database)?.stats_reset_epoch;
  return typeof epoch === "number" && Number.isFinite(epoch) ? new Date(epoch * 1000).toISOString() : null;
}
