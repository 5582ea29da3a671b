import { NextResponse } from "next/server";
import { z } from "zod";
import { silenceCreateSchema, silenceListResponseSchema, silenceResponseSchema } from "@/lib/api/alerts";
import { createSilence, listSilences } from "@/lib/alerts/actions";
import { sourceAddress } from "@/lib/auth/identify";
import { requireRole } from "@/lib/auth/require-role";
import { authSettings } from "@/lib/auth/settings";
import { SILENCE_MAX_MS } from "@/lib/limits";
import { mapAlertError } from "@/lib/server/alerts-read";
import { toSilenceView } from "@/lib/server/alerts-view";
import { HttpError, parseInput, parseQuery, readJson, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

const listQuerySchema = z.object({ active: z.enum(["true", "false"]).optional() });

/** GET /api/silences[?active=true]: newest first. */
export const GET = route(async (req, { rt }) => {
  await requireRole(req, "viewer");
  const q = parseQuery(req, listQuerySchema);
  const silences = await listSilences(rt.store.pool, { active: q.active === "true" });
  return NextResponse.json(silenceListResponseSchema.parse({ silences: silences.map(toSilenceView) }));
});

/** POST /api/silences (responder): a maintenance window, at most SILENCE_MAX_MS long. */
export const POST = route(async (req, { rt }) => {
  const { actor } = await requireRole(req, "responder");
  const body = parseInput(await readJson(req), silenceCreateSchema);
  const now = Date.now();
  const endsAt = Date.parse(body.endsAt);
  if (endsAt <= now) throw new HttpError(400, "invalid endsAt: must be in the future", "endsAt");
  // A forgotten silence must not mute a target for good.
  if (endsAt - now > SILENCE_MAX_MS) throw new HttpError(400, "invalid endsAt: a silence lasts at most 30 days", "endsAt");
  const silence = await createSilence(rt.store.pool, { matchers: body.matchers, endsAt: new Date(endsAt), reason: body.reason }, actor, {
    sourceAddress: sourceAddress(req.headers, authSettings()),
    now: () => new Date(now),
  }).catch(mapAlertError);
  return NextResponse.json(silenceResponseSchema.parse({ silence: toSilenceView(silence) }), { status: 201 });
});
