import "server-only";
import type { SessionAction, SessionActionResponse } from "@/lib/api/activity";
import { recordAudit } from "@/lib/auth/audit";
import type { Actor } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { signalBackend } from "@/lib/server/commands/session-action";

/**
 * Cancels or terminates one backend of a target (admin). Recorded first, with the session as
 * the page saw it: no backend is signalled without a trace, even if the store fails afterwards.
 */
export async function signalSession(
  rt: Pick<Runtime, "store" | "snapshot" | "actionPool">,
  targetId: string,
  actor: Actor,
  pid: number,
  action: SessionAction,
  source: string | null,
): Promise<SessionActionResponse> {
  const sessions = rt.snapshot(targetId)?.metrics.stat_activity;
  const before = sessions?.status === "ok" ? (sessions.rows.find((r) => r.pid === pid) ?? null) : null;
  await recordAudit(rt.store.pool, { actor, action: `session.${action}`, object: `target:${targetId}/pid:${pid}`, before, sourceAddress: source });
  const outcome = await signalBackend(rt.actionPool(targetId), pid, action);
  if (outcome.kind === "own") throw new DomainError(403, `pid ${pid} is one of pgpulse's own sessions: refusing to ${action} it`);
  if (outcome.kind === "forbidden") throw new DomainError(403, outcome.message);
  return { pid, action, ok: outcome.ok, at: new Date().toISOString() };
}
