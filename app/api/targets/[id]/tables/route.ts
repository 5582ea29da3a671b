import { z } from "zod";
import { isoTime } from "@/lib/api/common";
import { tablesResponseSchema } from "@/lib/api/tables";
import { parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";
import { jsonAnswer, oncePerVersion } from "@/lib/server/views/answer-cache";
import { targetOr404 } from "@/lib/server/views/targets";
import { tablesVersion, tablesView } from "@/lib/server/views/tables-read";

export const dynamic = "force-dynamic";

const querySchema = z
  .object({ from: isoTime.optional(), to: isoTime.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), { message: "from must be before to", path: ["from"] });

// The latest table_stats rows, rates over [from, to] (default: the last hour), growth from the
// store's size history. Never the target. The default range is built once per table_stats result.
export const GET = route<{ id: string }>("viewer", async (req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, querySchema);
  const { key, version } = tablesVersion(rt, target.id, q);
  return jsonAnswer(await oncePerVersion(rt, key, version, async () => JSON.stringify(tablesResponseSchema.parse(await tablesView(rt, target.id, q)))));
});
