import { NextResponse } from "next/server";
import { trendsQuerySchema, trendsResponseSchema } from "@/lib/api/trends";
import { requireRole } from "@/lib/auth/require-role";
import { HttpError, parseQuery, route, targetOr404 } from "@/lib/server/route";
import { summarizeTarget } from "@/lib/server/target-summary";
import { redactorFor } from "@/lib/server/views/sources";
import { buildTrends } from "@/lib/trends/build";
import { compareWeeks, lastCompleteWeek, parseIsoWeek, weekContaining } from "@/lib/trends/iso-week";

export const dynamic = "force-dynamic";

// The weekly trend figures: one ISO week (default: the last complete one in `tz`, default UTC)
// against the week before, for one target or all of them. Reads the store only.
export const GET = route(async (req, { rt }) => {
  const { actor } = await requireRole(req, "viewer");
  const q = parseQuery(req, trendsQuerySchema);
  const now = new Date();
  const tz = q.tz ?? "UTC";
  const week = q.week ? parseIsoWeek(q.week)! : lastCompleteWeek(now, tz);
  if (compareWeeks(week, weekContaining(now, tz)) > 0) throw new HttpError(400, "invalid week: it has not begun yet", "week");
  const targets = q.target ? [targetOr404(rt, q.target)] : rt.targets;
  const redact = await redactorFor(actor.role);
  const body = await buildTrends(
    rt.store,
    targets.map((t) => ({ id: t.id, name: t.name, database: summarizeTarget(t).database, thresholds: rt.thresholds(t.id) })),
    { week, tz, now, redact },
  );
  return NextResponse.json(trendsResponseSchema.parse(body));
});
