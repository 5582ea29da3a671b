import { NextResponse } from "next/server";
import { seriesQuerySchema, seriesResponseSchema } from "@/lib/api/series";
import { parseQuery } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";
import { seriesView } from "@/lib/server/views/series-read";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("viewer", async (req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  const q = parseQuery(req, seriesQuerySchema);
  return NextResponse.json(seriesResponseSchema.parse(await seriesView(rt, target, q)));
});
