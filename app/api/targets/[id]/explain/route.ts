import { NextResponse } from "next/server";
import { explainRequestSchema, explainResponseSchema } from "@/lib/api/explain";
import { requireRole } from "@/lib/auth/require-role";
import { explainOnTarget } from "@/lib/server/commands/explain-request";
import { parseInput, readJson } from "@/lib/server/http/parse";
import { route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";

export const dynamic = "force-dynamic";

// POST /api/targets/{id}/explain {query | fingerprint, analyze, params?}: plan only for
// responders, ANALYZE for admins; a single SELECT, read-only, timed out, rate-limited, audited.
// "responder" is checked before anything is read; ANALYZE asks for admin once the body says so.
export const POST = route<{ id: string }>("responder", async (req, { params, rt, source }) => {
  const target = targetOr404(rt, params.id);
  const body = parseInput(await readJson(req), explainRequestSchema);
  const { actor } = await requireRole(req, body.analyze ? "admin" : "responder");
  return NextResponse.json(explainResponseSchema.parse(await explainOnTarget(rt, target.id, actor, source, body)));
});
