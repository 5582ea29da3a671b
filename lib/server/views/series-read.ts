import "server-only";
import { getSeries, seriesSourceMetric } from "@/lib/analysis/series";
import type { SeriesQuery, SeriesResponse } from "@/lib/api/series";
import type { TargetConfig } from "@/lib/config/schema";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { summarizeTarget } from "@/lib/server/views/targets";

/** One derived series of a target over the range, from the store. */
export async function seriesView(rt: Runtime, target: TargetConfig, q: SeriesQuery): Promise<SeriesResponse> {
  const cadenceMs = rt.cadenceMs(seriesSourceMetric(q.metric));
  const series = await getSeries(rt.store, {
    targetId: target.id,
    metric: q.metric,
    from: new Date(q.from),
    to: new Date(q.to),
    // Never finer than the metric is sampled: the answer's step says what was used.
    stepSeconds: q.step,
    cadenceMs,
    // db_stats covers every database of the cluster; by default the target's own.
    database: q.database ?? summarizeTarget(target).database,
    standby: q.standby,
  });
  return { metric: series.metric, unit: series.unit, step: series.stepSeconds, points: series.points, cadenceMs };
}
