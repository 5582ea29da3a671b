import { tablesQuerySchema, tablesResponseSchema } from "@/lib/api/tables";
import { csvAnswer } from "@/lib/server/http/csv";
import { parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";
import { jsonAnswer, oncePerVersion } from "@/lib/server/views/answer-cache";
import { pageAnswers, pageKey, allTables, TABLE_CSV_COLUMNS, tablesPage } from "@/lib/server/views/list-pages";
import { targetOr404 } from "@/lib/server/views/targets";
import { tablesVersion, tablesView } from "@/lib/server/views/tables-read";

export const dynamic = "force-dynamic";

// The latest table_stats rows, rates over [from, to] (default: the last hour), growth from the
// store's size history. Never the target. The whole list is built once per table_stats result
// (up to now); a request gets a page of it (limit), every row as CSV, or the whole list. Pages
// are kept per version and query (list-pages.ts).
export const GET = route<{ id: string }>("viewer", async (req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, tablesQuerySchema);
  const { key, version } = tablesVersion(rt, target.id, q);
  const full = () => oncePerVersion(rt, key, version, async () => tablesResponseSchema.parse(await tablesView(rt, target.id, q)));
  if (q.format === "csv") return csvAnswer(`tables-${target.id}.csv`, TABLE_CSV_COLUMNS, allTables(await full(), q));
  if (q.limit === undefined && q.q === undefined) return jsonAnswer(await oncePerVersion(rt, `${key}:json`, version, async () => JSON.stringify(await full())));
  const page = async () => JSON.stringify(tablesPage(await full(), q));
  return jsonAnswer(await (version === null ? page() : pageAnswers.get(rt, pageKey(key, q), version, page)));
});
