import { NextResponse } from "next/server";
import { ackRequestSchema, ackResponseSchema } from "@/lib/api/alerts";
import { acknowledge } from "@/lib/alerts/actions";
import { sourceAddress } from "@/lib/auth/identify";
import { requireRole } from "@/lib/auth/require-role";
import { authSettings } from "@/lib/auth/settings";
import { mapAlertError, parseId, viewOptions } from "@/lib/server/alerts-read";
import { toAlertView } from "@/lib/server/alerts-view";
import { parseInput, readJson, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

// Acknowledge with a comment (responder). The change and its audit row commit together.
export const POST = route<{ id: string }>(async (req, { params, rt }) => {
  const { actor } = await requireRole(req, "responder");
  const id = parseId(params.id);
  const body = parseInput(await readJson(req), ackRequestSchema);
  const alert = await acknowledge(rt.store.pool, id, actor, body.comment, { sourceAddress: sourceAddress(req.headers, authSettings()) }).catch(mapAlertError);
  const opts = await viewOptions(rt.store.pool, actor.role, (t) => rt.target(t)?.name);
  return NextResponse.json(ackResponseSchema.parse({ alert: toAlertView(alert, opts) }));
});
