import { indexesResponseSchema } from "@/lib/api/indexes";
import { route } from "@/lib/server/http/route";
import { jsonAnswer, oncePerVersion } from "@/lib/server/views/answer-cache";
import { targetOr404 } from "@/lib/server/views/targets";
import { indexesVersion, indexesView } from "@/lib/server/views/indexes-read";

export const dynamic = "force-dynamic";

// index_stats joined with the latest index_bloat figures, from the snapshot or the store.
// Built and validated once per snapshot version, then answered as is.
export const GET = route<{ id: string }>("viewer", async (_req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  const { key, version } = indexesVersion(rt, target);
  return jsonAnswer(await oncePerVersion(rt, key, version, async () => JSON.stringify(indexesResponseSchema.parse(await indexesView(rt, target)))));
});
