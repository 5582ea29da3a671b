import { alertListResponseSchema } from "@/lib/api/alerts";
import { alertListView, parseAlertListQuery } from "@/lib/server/views/alerts-read";
import { route } from "@/lib/server/http/route";
import { jsonAnswer } from "@/lib/server/views/answer-cache";
import { alertListAnswer } from "@/lib/server/views/history-answers";

export const dynamic = "force-dynamic";

// The alert list, shared by the viewers asking the same thing until the alerts change
// (history-answers.ts).
export const GET = route("viewer", async (req, { rt, actor }) => {
  const q = parseAlertListQuery(new URL(req.url));
  return jsonAnswer(await alertListAnswer(rt, actor.role, q, async (window) => JSON.stringify(alertListResponseSchema.parse(await alertListView(rt, actor.role, window)))));
});
