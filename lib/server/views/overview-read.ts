import "server-only";
import { getSeries, type SeriesMetric } from "@/lib/analysis/series";
import { listAlerts } from "@/lib/alerts/read";
import type { Point } from "@/lib/api/common";
import type { OverviewResponse } from "@/lib/api/overview";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { summarizeTarget } from "@/lib/server/views/targets";
import { toOverviewTarget } from "./overview";
import { parseRows, tableRow } from "./rows";
import { currentRows } from "./sources";

// GET /api/overview — one row per target, from snapshots, the store and the alert table.

const WINDOW_MS = 15 * 60_000;
const SPARK_STEP_S = 60;
// Five-minute buckets for the headline ratio: a quiet minute stays under the block floor.
const RATIO_STEP_S = 300;

export async function overviewView(rt: Runtime, now = new Date()): Promise<OverviewResponse> {
  const alerts = await rt.store.read((p) => listAlerts(p, { state: ["pending", "firing"], limit: 5000 }));
  const targets = await Promise.all(
    rt.targets.map(async (t) => {
      const series = (metric: SeriesMetric, step: number) => seriesPoints(rt, t.id, summarizeTarget(t).database, metric, now, step);
      const [tps, connections, cacheHitRatio, cacheWindow, tables] = await Promise.all([
        series("tps", SPARK_STEP_S),
        series("connections_total", SPARK_STEP_S),
        series("cache_hit_ratio", SPARK_STEP_S),
        series("cache_hit_ratio", RATIO_STEP_S),
        currentRows(rt, t.id, "table_stats"),
      ]);
      return toOverviewTarget({
        id: t.id,
        name: t.name,
        snapshot: rt.snapshot(t.id),
        alerts,
        tables: tables ? parseRows(tables.rows, tableRow).rows : null,
        sparklines: { tps, connections, cacheHitRatio },
        cacheHitRatioWindow: cacheWindow,
      });
    }),
  );
  return { takenAt: now.toISOString(), targets };
}

async function seriesPoints(rt: Runtime, targetId: string, database: string, metric: SeriesMetric, now: Date, stepSeconds: number): Promise<Point[]> {
  const r = await getSeries(rt.store, { targetId, metric, from: new Date(now.getTime() - WINDOW_MS), to: now, stepSeconds, database, now });
  return r.points;
}
