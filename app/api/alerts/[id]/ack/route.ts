import { NextResponse } from "next/server";
import { ackRequestSchema, ackResponseSchema } from "@/lib/api/alerts";
import { ackAlert } from "@/lib/server/commands/alert-actions";
import { parseId } from "@/lib/server/views/alerts-read";
import { parseInput, readJson } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

// Acknowledge with a comment (responder). The change and its audit row commit together.
export const POST = route<{ id: string }>("responder", async (req, { params, rt, actor, source }) => {
  const id = parseId(params.id);
  const body = parseInput(await readJson(req), ackRequestSchema);
  return NextResponse.json(ackResponseSchema.parse(await ackAlert(rt, actor, id, body.comment, source)));
});
