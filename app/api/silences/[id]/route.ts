import { NextResponse } from "next/server";
import { silenceResponseSchema } from "@/lib/api/alerts";
import { expireSilence } from "@/lib/alerts/actions";
import { sourceAddress } from "@/lib/auth/identify";
import { requireRole } from "@/lib/auth/require-role";
import { authSettings } from "@/lib/auth/settings";
import { mapAlertError, parseId } from "@/lib/server/alerts-read";
import { toSilenceView } from "@/lib/server/alerts-view";
import { route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

/** DELETE /api/silences/{id} (responder): ends the silence now; audited. */
export const DELETE = route<{ id: string }>(async (req, { params, rt }) => {
  const { actor } = await requireRole(req, "responder");
  const id = parseId(params.id);
  const silence = await expireSilence(rt.store.pool, id, actor, { sourceAddress: sourceAddress(req.headers, authSettings()) }).catch(mapAlertError);
  return NextResponse.json(silenceResponseSchema.parse({ silence: toSilenceView(silence) }));
});
