import { NextResponse } from "next/server";
import { activityResponseSchema } from "@/lib/api/activity";
import { requireRole } from "@/lib/auth/require-role";
import { route, targetOr404 } from "@/lib/server/route";
import { toActivity } from "@/lib/server/views/activity";
import { availability, redactorFor } from "@/lib/server/views/sources";

export const dynamic = "force-dynamic";

// Live sessions from the collector's latest stat_activity sample: no query on the target.
export const GET = route<{ id: string }>(async (req, { params, rt }) => {
  const { actor } = await requireRole(req, "viewer");
  const target = targetOr404(rt, params.id);
  const snap = rt.snapshot(target.id);
  const unavailable = await availability(rt, target.id, ["stat_activity"]);
  const body = toActivity({
    targetId: target.id,
    statActivity: snap?.metrics.stat_activity,
    connections: snap?.metrics.connections,
    unavailable: unavailable.stat_activity,
    poolSize: target.poolSize ?? null,
    redact: await redactorFor(actor.role),
  });
  return NextResponse.json(activityResponseSchema.parse(body));
});
