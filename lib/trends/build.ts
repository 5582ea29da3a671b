import "server-only";
import type { TargetTrends, TrendsResponse } from "@/lib/api/trends";
import { bucketGauge, getSeries, stepBuckets, sumPresent, type SeriesMetric } from "@/lib/analysis/series";
import type { Store } from "@/lib/store/types";
import { assembleTarget } from "./figures";
import type { Hourly } from "./daily";
import { compareWeeks, formatIsoWeek, shiftWeek, weekBounds, weekContaining, type IsoWeek, type WeekBounds } from "./iso-week";
import { alertWeeks, bloatRises, fingerprintWeeks, newUnusedIndexes, simulatedRanges, sizesAtBoundaries, slowStatsByDay } from "./queries";

// One ISO week against the one before, for each requested target. Every number comes from the
// same reads the live pages use (hourly steps of getSeries, the row history, slow statement
// events, alert episodes), so a figure here can be found again on those pages.

export interface TrendsTarget {
  id: string;
  name: string;
  database: string;
  thresholds: TargetTrends["thresholds"];
}

export interface BuildOptions {
  week: IsoWeek;
  tz: string;
  now: Date;
  /** Literal redaction for viewers; identity for responders and admins. */
  redact: (sql: string) => string;
}

/** Every read goes through the store's read gate (its own pool, bounded queue, 503 when full), never the writers' pool. */
type TrendsStore = Pick<Store, "read" | "seriesRange" | "slowQueryCounts">;

const HOUR_S = 3600;
const TOP_BLOAT = 15;
const TOP_UNUSED = 15;

function toHourly(points: Array<[string, number | null]>): Hourly {
  return new Map(points.map(([t, v]) => [Date.parse(t), v]));
}

async function hourlySeries(store: TrendsStore, targetId: string, metric: SeriesMetric, from: Date, to: Date, now: Date, database?: string): Promise<Hourly> {
  const r = await getSeries(store, { targetId, metric, from, to, stepSeconds: HOUR_S, resolution: "1h", now, database });
  return toHourly(r.points);
}

/** Hourly maxima (or last values) of a gauge series the derived series do not offer. */
async function hourlyGauge(store: TrendsStore, targetId: string, name: string, from: Date, to: Date, now: Date): Promise<Hourly> {
  const buckets = stepBuckets(from, to, HOUR_S);
  const r = await store.seriesRange(targetId, name, null, from, to, { resolution: "1h", now });
  const values = sumPresent(
    r.series.map((s) => bucketGauge(s.points, buckets, HOUR_S, "max")),
    buckets.length,
  );
  return new Map(buckets.map((b, i) => [b, values[i]]));
}

async function buildTarget(store: TrendsStore, t: TrendsTarget, cur: WeekBounds, prev: WeekBounds, opts: BuildOptions): Promise<TargetTrends> {
  const { now, tz } = opts;
  const from = prev.start;
  const to = cur.end < now ? cur.end : now;
  // Day ends of both weeks (and the previous week's start), capped at now, for table sizes.
  const boundaries = [prev.start, ...prev.days.map((d) => d.end), ...cur.days.map((d) => d.end)].map((b) => (b < now ? b : now));

  const [tps, cacheHit, dbSize, connections, connectionLimit, slow, alerts, sizeHistory, bloat, unused, groups, simulated] = await Promise.all([
    hourlySeries(store, t.id, "tps", from, to, now, t.database),
    hourlySeries(store, t.id, "cache_hit_ratio", from, to, now, t.database),
    hourlySeries(store, t.id, "database_size_bytes", from, to, now, t.database),
    hourlyGauge(store, t.id, "connections.total", from, to, now),
    hourlyGauge(store, t.id, "connections.usable", from, to, now),
    store.read((pool) => slowStatsByDay(pool, t.id, prev.start, cur.start, to, tz)),
    store.read((pool) => alertWeeks(pool, t.id, prev.start, cur.start, to)),
    store.read((pool) => sizesAtBoundaries(pool, t.id, "table_stats", boundaries)),
    store.read((pool) => bloatRises(pool, t.id, cur.start, to, TOP_BLOAT)),
    store.read((pool) => newUnusedIndexes(pool, t.id, cur.start, to, TOP_UNUSED)),
    store.read((pool) => fingerprintWeeks(pool, t.id, prev.start, cur.start, to)),
    store.read((pool) => simulatedRanges(pool, t.id, prev.start, cur.end)),
  ]);

  const sizes = new Map(sizeHistory.map((h) => [h.objectKey, h.points]));

  return assembleTarget({
    target: { id: t.id, name: t.name, database: t.database },
    thresholds: t.thresholds,
    tz,
    now,
    current: cur,
    previous: prev,
    hourly: { tps, cacheHit, connections, connectionLimit, dbSize },
    slow,
    alerts,
    sizeBoundaries: boundaries,
    sizes,
    bloat: bloat.map((b) => ({
      ...b,
      deltaPoints: b.bloatPercent !== null && b.previousBloatPercent !== null ? b.bloatPercent - b.previousBloatPercent : null,
    })),
    unusedIndexes: unused,
    groups: { current: groups.filter((g) => g.week === "current"), previous: groups.filter((g) => g.week === "previous") },
    redact: opts.redact,
    simulated,
  });
}

export async function buildTrends(store: TrendsStore, targets: TrendsTarget[], opts: BuildOptions): Promise<TrendsResponse> {
  const cur = weekBounds(opts.week, opts.tz);
  const prevWeek = shiftWeek(opts.week, -1);
  const prev = weekBounds(prevWeek, opts.tz);
  const nextWeek = shiftWeek(opts.week, 1);
  const running = weekContaining(opts.now, opts.tz);
  const out: TargetTrends[] = [];
  // One target at a time: each already runs its reads in parallel on the store pool.
  for (const t of targets) out.push(await buildTarget(store, t, cur, prev, opts));
  return {
    week: formatIsoWeek(opts.week),
    previousWeek: formatIsoWeek(prevWeek),
    nextWeek: compareWeeks(nextWeek, running) <= 0 ? formatIsoWeek(nextWeek) : null,
    tz: opts.tz,
    from: cur.start.toISOString(),
    to: cur.end.toISOString(),
    previousFrom: prev.start.toISOString(),
    complete: cur.end <= opts.now,
    generatedAt: opts.now.toISOString(),
    targets: out,
  };
}
