import { NextResponse } from "next/server";
import { activityResponseSchema } from "@/lib/api/activity";
import { route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";
import { activityView } from "@/lib/server/views/activity-read";

export const dynamic = "force-dynamic";

// Live sessions from the collector's latest stat_activity sample: no query on the target.
export const GET = route<{ id: string }>("viewer", async (_req, { params, rt, actor }) => {
  const target = targetOr404(rt, params.id);
  return NextResponse.json(activityResponseSchema.parse(await activityView(rt, target, actor.role)));
});
