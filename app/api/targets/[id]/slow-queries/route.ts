import { NextResponse } from "next/server";
import { fingerprintSql, loadSqlParser } from "@/lib/analysis/sql-text";
import { timeRangeQuerySchema } from "@/lib/api/common";
import { slowQueriesResponseSchema } from "@/lib/api/slow-queries";
import { requireRole } from "@/lib/auth/require-role";
import { MAX_RANGE_MS, SLOW_GROUPS_MAX } from "@/lib/limits";
import { parseQuery, route, targetOr404 } from "@/lib/server/route";
import { activityRow, parseRows, slowRow } from "@/lib/server/views/rows";
import { runningOverThreshold, toSlowGroups } from "@/lib/server/views/slow-queries";
import { slowSourcesUnavailable } from "@/lib/server/views/slow-sources";
import { availability, redactorFor } from "@/lib/server/views/sources";

export const dynamic = "force-dynamic";

// Slow statements grouped by fingerprint over the range (store), plus those running over the
// threshold now (the collector's snapshot).
export const GET = route<{ id: string }>(async (req, { params, rt }) => {
  const { actor } = await requireRole(req, "viewer");
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, timeRangeQuerySchema);
  const to = new Date(q.to);
  const from = new Date(Math.max(Date.parse(q.from), to.getTime() - MAX_RANGE_MS));
  const thresholdMs = rt.thresholds(target.id).queryTimeMs;
  const [groups, unavailable, redact] = await Promise.all([
    rt.store.slowQueryGroups(target.id, from, to),
    availability(rt, target.id, ["slow_queries"]),
    redactorFor(actor.role),
    loadSqlParser(),
  ]);
  const snap = rt.snapshot(target.id);
  const sa = snap?.metrics.stat_activity;
  const sq = snap?.metrics.slow_queries;
  const running = runningOverThreshold(
    sa?.status === "ok" ? { ts: sa.ts, rows: parseRows(sa.rows, activityRow).rows } : null,
    sq?.status === "ok" ? { ts: sq.ts, rows: parseRows(sq.rows, slowRow).rows } : null,
    thresholdMs,
    fingerprintSql,
    redact,
  );
  return NextResponse.json(
    slowQueriesResponseSchema.parse({
      targetId: target.id,
      from: from.toISOString(),
      to: to.toISOString(),
      thresholdMs,
      unavailable: unavailable.slow_queries,
      sourcesUnavailable: slowSourcesUnavailable(snap?.capabilities ?? null),
      groups: toSlowGroups(groups.slice(0, SLOW_GROUPS_MAX), redact),
      running,
    }),
  );
});
