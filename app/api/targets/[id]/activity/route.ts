import { activityResponseSchema } from "@/lib/api/activity";
import { route } from "@/lib/server/http/route";
import { jsonAnswer, oncePerVersion } from "@/lib/server/views/answer-cache";
import { targetOr404 } from "@/lib/server/views/targets";
import { activityVersion, activityView } from "@/lib/server/views/activity-read";

export const dynamic = "force-dynamic";

// Live sessions from the collector's latest stat_activity sample: no query on the target.
// Built and validated once per sample, then answered as is.
export const GET = route<{ id: string }>("viewer", async (_req, { params, rt, actor }) => {
  const target = targetOr404(rt, params.id);
  const { key, version } = activityVersion(rt, target, actor.role);
  return jsonAnswer(await oncePerVersion(rt, key, version, async () => JSON.stringify(activityResponseSchema.parse(await activityView(rt, target, actor.role)))));
});
