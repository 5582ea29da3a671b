import { NextResponse } from "next/server";
import { seriesQuerySchema, seriesResponseSchema } from "@/lib/api/series";
import { getSeries } from "@/lib/analysis/series";
import { parseQuery, route, targetOr404 } from "@/lib/server/route";
import { summarizeTarget } from "@/lib/server/target-summary";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, seriesQuerySchema);
  const series = await getSeries(rt.store, {
    targetId: target.id,
    metric: q.metric,
    from: new Date(q.from),
    to: new Date(q.to),
    stepSeconds: q.step,
    // db_stats covers every database of the cluster; by default the target's own.
    database: q.database ?? summarizeTarget(target).database,
  });
  return NextResponse.json(
    seriesResponseSchema.parse({ metric: series.metric, unit: series.unit, step: q.step, points: series.points }),
  );
});
