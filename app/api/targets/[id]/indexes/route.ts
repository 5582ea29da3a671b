import { NextResponse } from "next/server";
import { indexesResponseSchema } from "@/lib/api/indexes";
import { route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";
import { indexesView } from "@/lib/server/views/indexes-read";

export const dynamic = "force-dynamic";

// index_stats joined with the latest index_bloat figures, from the snapshot or the store.
export const GET = route<{ id: string }>("viewer", async (_req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  return NextResponse.json(indexesResponseSchema.parse(await indexesView(rt, target)));
});
