import { seriesQuerySchema, seriesResponseSchema } from "@/lib/api/series";
import { parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";
import { jsonAnswer } from "@/lib/server/views/answer-cache";
import { seriesAnswer } from "@/lib/server/views/history-answers";
import { targetOr404 } from "@/lib/server/views/targets";
import { seriesView } from "@/lib/server/views/series-read";

export const dynamic = "force-dynamic";

// One derived series from the store; viewers asking for the same window share one answer until
// the next sample (history-answers.ts).
export const GET = route<{ id: string }>("viewer", async (req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, seriesQuerySchema);
  return jsonAnswer(await seriesAnswer(rt, target.id, q, async (window) => JSON.stringify(seriesResponseSchema.parse(await seriesView(rt, target, window)))));
});
