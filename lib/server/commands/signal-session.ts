import "server-only";
import type { SessionAction, SessionActionResponse } from "@/lib/api/activity";
import { recordAudit } from "@/lib/auth/audit";
import type { Actor } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { signalBackend } from "@/lib/server/commands/session-action";

/** How long the answer waits for the sessions snapshot to be taken again after a signal. */
const REFRESH_WAIT_MS = 2_000;

/**
 * Cancels or terminates one backend of a target (admin). Recorded first, with the session as
 * the page saw it: no backend is signalled without a trace, even if the store fails afterwards.
 * Then the sessions snapshot is taken again, so the page's refetch shows the row as it is now.
 */
export async function signalSession(
  rt: Pick<Runtime, "store" | "snapshot" | "actionPool" | "collectors">,
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
  const at = new Date().toISOString();
  await refreshSessions(rt, targetId);
  if (!outcome.ok) return { pid, action, ok: false, at, outcome: "gone", afterMs: null, watchedMs: 0, stateAfter: null };
  return { pid, action, ok: true, at, outcome: outcome.outcome, afterMs: outcome.afterMs, watchedMs: outcome.watchedMs, stateAfter: outcome.stateAfter };
}

/** Best effort and bounded: a busy live lane must not hold the answer. */
async function refreshSessions(rt: Pick<Runtime, "collectors">, targetId: string): Promise<void> {
  const collector = rt.collectors.get(targetId);
  if (!collector) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    collector.runNow("stat_activity").catch(() => undefined),
    new Promise((r) => (timer = setTimeout(r, REFRESH_WAIT_MS))),
  ]).finally(() => clearTimeout(timer));
}
