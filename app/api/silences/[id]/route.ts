import { NextResponse } from "next/server";
import { silenceResponseSchema } from "@/lib/api/alerts";
import { endSilence } from "@/lib/server/commands/alert-actions";
import { parseId } from "@/lib/server/views/alerts-read";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

/** DELETE /api/silences/{id} (responder): ends the silence now; audited. */
export const DELETE = route<{ id: string }>("responder", async (_req, { params, rt, actor, source }) => {
  const id = parseId(params.id);
  return NextResponse.json(silenceResponseSchema.parse(await endSilence(rt.store.pool, actor, id, source)));
});
