import { NextResponse } from "next/server";
import { z } from "zod";
import { sessionActionResponseSchema, sessionActionSchema } from "@/lib/api/activity";
import { recordAudit } from "@/lib/auth/audit";
import { sourceAddress } from "@/lib/auth/identify";
import { requireRole } from "@/lib/auth/require-role";
import { authSettings } from "@/lib/auth/settings";
import { HttpError, notFound, parseInput, route, targetOr404 } from "@/lib/server/route";
import { signalBackend } from "@/lib/server/views/session-action";

export const dynamic = "force-dynamic";

const pidSchema = z.coerce.number().int().positive().max(2 ** 31 - 1);

// POST /api/targets/{id}/sessions/{pid}/cancel|terminate — admin only, audited before it runs.
export const POST = route<{ id: string; pid: string; action: string }>(async (req, { params, rt }) => {
  const { actor } = await requireRole(req, "admin");
  const target = targetOr404(rt, params.id);
  const action = sessionActionSchema.safeParse(params.action);
  if (!action.success) throw notFound(`session action "${params.action.slice(0, 32)}"`);
  const pid = parseInput({ pid: params.pid }, z.object({ pid: pidSchema })).pid;

  const sessions = rt.snapshot(target.id)?.metrics.stat_activity;
  const before = sessions?.status === "ok" ? (sessions.rows.find((r) => r.pid === pid) ?? null) : null;
  // Recorded first: no backend is signalled without a trace, even if the store fails afterwards.
  await recordAudit(rt.store.pool, {
    actor,
    action: `session.${action.data}`,
    object: `target:${target.id}/pid:${pid}`,
    before,
    sourceAddress: sourceAddress(req.headers, authSettings()),
  });
  const outcome = await signalBackend(rt.actionPool(target.id), pid, action.data);
  if (outcome.kind === "own") throw new HttpError(403, `pid ${pid} is one of pgpulse's own sessions: refusing to ${action.data} it`);
  if (outcome.kind === "forbidden") throw new HttpError(403, outcome.message);
  return NextResponse.json(sessionActionResponseSchema.parse({ pid, action: action.data, ok: outcome.ok, at: new Date().toISOString() }));
});
