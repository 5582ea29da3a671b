import { NextResponse } from "next/server";
import { tableHistoryQuerySchema, tableHistoryResponseSchema } from "@/lib/api/tables";
import { parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";
import { tableHistoryView } from "@/lib/server/views/tables-read";

export const dynamic = "force-dynamic";

// A table's total size over the range, from the store's low-cadence size history.
export const GET = route<{ id: string }>("viewer", async (req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, tableHistoryQuerySchema);
  return NextResponse.json(tableHistoryResponseSchema.parse(await tableHistoryView(rt, target.id, q)));
});
