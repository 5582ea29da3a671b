import { NextResponse } from "next/server";
import { z } from "zod";
import { sessionActionResponseSchema, sessionActionSchema } from "@/lib/api/activity";
import { signalSession } from "@/lib/server/commands/signal-session";
import { parseInput } from "@/lib/server/http/parse";
import { notFound, route } from "@/lib/server/http/route";
import { targetOr404 } from "@/lib/server/views/targets";

export const dynamic = "force-dynamic";

// A backend pid as PostgreSQL prints it: plain decimal digits, no sign, no leading zero, no
// exponent or hex ("1e3", "0x10", " 12", "012" all read as a number to Number(); a pid is
// not a place for interpretation when the next step signals a backend).
const pidSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, "must be a process id in plain decimal digits")
  .transform(Number)
  .refine((n) => n <= 2 ** 31 - 1, "must be a process id in plain decimal digits");

// POST /api/targets/{id}/sessions/{pid}/cancel|terminate — admin only, audited before it runs.
export const POST = route<{ id: string; pid: string; action: string }>("admin", async (_req, { params, rt, actor, source }) => {
  const target = targetOr404(rt, params.id);
  const action = sessionActionSchema.safeParse(params.action);
  if (!action.success) throw notFound(`session action "${params.action.slice(0, 32)}"`);
  const pid = parseInput({ pid: params.pid }, z.object({ pid: pidSchema })).pid;
  return NextResponse.json(sessionActionResponseSchema.parse(await signalSession(rt, target.id, actor, pid, action.data, source)));
});
