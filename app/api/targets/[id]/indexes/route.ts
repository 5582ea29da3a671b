import { indexesQuerySchema, indexesResponseSchema } from "@/lib/api/indexes";
import { csvAnswer } from "@/lib/server/http/csv";
import { parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";
import { jsonAnswer, oncePerVersion } from "@/lib/server/views/answer-cache";
import { pageAnswers, pageKey, allIndexes, INDEX_CSV_COLUMNS, indexesPage } from "@/lib/server/views/list-pages";
import { targetOr404 } from "@/lib/server/views/targets";
import { indexesVersion, indexesView } from "@/lib/server/views/indexes-read";

export const dynamic = "force-dynamic";

// index_stats joined with the latest index_bloat figures, from the snapshot or the store.
// The whole list is built once per snapshot version; a request gets a page of it (limit),
// every row as CSV, or the whole list. Pages are kept per version and query (list-pages.ts).
export const GET = route<{ id: string }>("viewer", async (req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, indexesQuerySchema);
  const { key, version } = indexesVersion(rt, target);
  const full = () => oncePerVersion(rt, key, version, async () => indexesResponseSchema.parse(await indexesView(rt, target)));
  if (q.format === "csv") return csvAnswer(`indexes-${target.id}.csv`, INDEX_CSV_COLUMNS, allIndexes(await full(), q));
  if (q.limit === undefined && q.q === undefined && q.flag === "all") return jsonAnswer(await oncePerVersion(rt, `${key}:json`, version, async () => JSON.stringify(await full())));
  const page = async () => JSON.stringify(indexesPage(await full(), q));
  return jsonAnswer(await (version === null ? page() : pageAnswers.get(rt, pageKey(key, q), version, page)));
});
