import "server-only";
import { getSeries, type SeriesMetric } from "@/lib/analysis/series";
import { listAlerts } from "@/lib/alerts/read";
import type { Point } from "@/lib/api/common";
import type { OverviewResponse } from "@/lib/api/overview";
import { readFleet } from "@/lib/fleet/lease-store";
import { prefetchSeries } from "@/lib/store/read-fleet";
import type { SeriesReader } from "@/lib/store/types";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { summarizeTarget } from "@/lib/server/views/targets";
import { toOverviewTarget } from "./overview";
import { parseRows, tableRow } from "./rows";
import { currentRows } from "./sources";

// GET /api/overview — one row per target, from snapshots, the store and the alert table. Every
// store read covers the whole fleet at once (a handful of statements for 200 targets).

const SPARK_MS = 15 * 60_000;
const SPARK_STEP_S = 60;
// Headline figures: the last minute of a five-minute read.
const HEADLINE_MS = 5 * 60_000;
// Five-minute buckets for the headline ratio: a quiet minute stays under the block floor.
const RATIO_STEP_S = 300;
// getSeries reads up to step + 5 min before its first bucket (rate anchors): the prefetch covers
// the sparkline's quarter hour, its aligned start and that margin.
const PREFETCH_MS = SPARK_MS + 10 * 60_000;
/** Every stored series a fleet row derives from (lib/analysis/series.ts names them). */
const FLEET_SERIES = [
  "stat_activity.total",
  "stat_activity.longest_query_seconds",
  "db_stats.xact_commit",
  "db_stats.xact_rollback",
  "db_stats.blks_hit",
  "db_stats.blks_read",
  "db_stats.stats_reset_epoch",
  "connections.usable",
];
// How many targets read their largest table from the store at once when not in memory.
const TABLE_READS_AT_ONCE = 8;

export async function overviewView(rt: Runtime, now = new Date()): Promise<OverviewResponse> {
  const ids = rt.targets.map((t) => t.id);
  const from = new Date(now.getTime() - PREFETCH_MS);
  const [alerts, reader, fleet] = await Promise.all([
    rt.store.read((p) => listAlerts(p, { state: ["pending", "firing"], limit: 5000 })),
    rt.store.read((p) => prefetchSeries(p, ids, FLEET_SERIES, from, now)),
    // The lease table with each target's recorded state, read now rather than this instance's
    // view of a few seconds ago: the list is as current as the store.
    rt.store.read((p) => readFleet(p)),
  ]);
  const holder = new Map(fleet.leases.filter((l) => l.live).map((l) => [l.target_id, { id: l.holder, name: l.holder_name }]));
  const lease = new Map(fleet.leases.map((l) => [l.target_id, l]));
  const tables = await mapLimited(rt.targets, TABLE_READS_AT_ONCE, async (t) => {
    const r = await currentRows(rt, t.id, "table_stats");
    return r ? parseRows(r.rows, tableRow).rows : null;
  });
  const sparkFrom = new Date(now.getTime() - SPARK_MS);
  const targets = await Promise.all(
    rt.targets.map(async (t, i) => {
      const database = summarizeTarget(t).database;
      const series = (metric: SeriesMetric, windowMs: number, step: number) => seriesPoints(reader, t.id, database, metric, now, windowMs, step);
      const [connections, tps, longestQuery, cacheWindow, usable] = await Promise.all([
        series("connections_total", SPARK_MS, SPARK_STEP_S),
        series("tps", HEADLINE_MS, SPARK_STEP_S),
        series("longest_query_seconds", HEADLINE_MS, SPARK_STEP_S),
        series("cache_hit_ratio", HEADLINE_MS, RATIO_STEP_S),
        reader.seriesRange(t.id, "connections.usable", null, new Date(now.getTime() - SPARK_MS), now, { resolution: "1m" }),
      ]);
      return toOverviewTarget(
        {
          target: t,
          snapshot: rt.collectors.has(t.id) ? rt.snapshot(t.id) : undefined,
          stored: { heldBy: holder.get(t.id) ?? null, lease: lease.get(t.id) },
          alerts,
          tables: tables[i],
          series: { connections, tps, longestQuery },
          cacheHitRatioWindow: cacheWindow,
          storedUsable: lastStored(usable.series.flatMap((s) => s.points)),
        },
        SPARK_STEP_S,
        sparkFrom,
      );
    }),
  );
  return { takenAt: now.toISOString(), targets };
}

async function seriesPoints(reader: SeriesReader, targetId: string, database: string, metric: SeriesMetric, now: Date, windowMs: number, stepSeconds: number): Promise<Point[]> {
  const r = await getSeries(reader, { targetId, metric, from: new Date(now.getTime() - windowMs), to: now, stepSeconds, database, now, resolution: "1m" });
  return r.points;
}

/** The newest stored value (a rollup's last value, or a raw sample). */
function lastStored(points: ReadonlyArray<{ lastTs: Date; lastValue: number }>): number | null {
  let best: { lastTs: Date; lastValue: number } | null = null;
  for (const p of points) if (!best || p.lastTs > best.lastTs) best = p;
  return best?.lastValue ?? null;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
