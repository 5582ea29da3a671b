import { NextResponse } from "next/server";
import { timeRangeQuerySchema } from "@/lib/api/common";
import { slowQueriesResponseSchema } from "@/lib/api/slow-queries";
import { parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";
import { slowQueriesView } from "@/lib/server/views/slow-queries-read";

export const dynamic = "force-dynamic";

// Slow statements grouped by fingerprint over the range (store), plus those running over the
// threshold now (the collector's snapshot).
export const GET = route<{ id: string }>("viewer", async (req, { params, rt, actor }) => {
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, timeRangeQuerySchema);
  return NextResponse.json(slowQueriesResponseSchema.parse(await slowQueriesView(rt, target.id, actor.role, q)));
});
