import { NextResponse } from "next/server";
import { z } from "zod";
import { silenceCreateSchema, silenceListResponseSchema, silenceResponseSchema } from "@/lib/api/alerts";
import { addSilence } from "@/lib/server/commands/alert-actions";
import { silenceListView } from "@/lib/server/views/alerts-read";
import { parseInput, parseQuery, readJson } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

const listQuerySchema = z.object({ active: z.enum(["true", "false"]).optional() });

/** GET /api/silences[?active=true]: newest first. */
export const GET = route("viewer", async (req, { rt }) => {
  const q = parseQuery(req, listQuerySchema);
  return NextResponse.json(silenceListResponseSchema.parse(await silenceListView(rt.store.pool, { active: q.active === "true" })));
});

/** POST /api/silences (responder): a maintenance window, at most SILENCE_MAX_MS long. */
export const POST = route("responder", async (req, { rt, actor, source }) => {
  const body = parseInput(await readJson(req), silenceCreateSchema);
  return NextResponse.json(silenceResponseSchema.parse(await addSilence(rt.store.pool, actor, body, source)), { status: 201 });
});
