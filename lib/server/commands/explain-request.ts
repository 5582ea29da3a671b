import "server-only";
import type { Pool } from "pg";
import type { ActionConnector } from "@/lib/server/wiring/action-connections";
import type { z } from "zod";
import { collectCalls } from "@/lib/analysis/sql-calls";
import { fingerprintSql, redactSql } from "@/lib/analysis/sql-text";
import type { ExplainResponse, explainRequestSchema } from "@/lib/api/explain";
import { recordAudit } from "@/lib/auth/audit";
import type { Actor } from "@/lib/auth/roles";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { ExplainError, explainLimiter, prepareExplain, refusedFunction, runExplain } from "./explain";
import { fingerprintEvents } from "@/lib/server/views/slow-detail-read";

// One EXPLAIN request, everything the route does after checking the role: rate limit, the
// statement (given, or the slowest recorded example of a fingerprint), validation, the audit
// row, the run. Throws ExplainError, which the route answers with its status and code.

const FINGERPRINT_LOOKBACK_MS = 14 * 86_400_000;

export interface ExplainContext {
  /** The history store: recorded statements and the audit log. */
  store: Pool;
  /** The target's EXPLAIN pool (its planning role, or the action pool); asked for only when the EXPLAIN is about to run. */
  actionPool: () => ActionConnector;
  /** True when that pool connects as the target's planning role (explainUrl), not the monitoring role. */
  planningRole?: boolean;
  targetId: string;
  serverVersionNum: number | null;
  actor: Actor;
  sourceAddress: string | null;
}

type ExplainBody = z.output<typeof explainRequestSchema>;

/** An EXPLAIN on one of the runtime's targets, for the route. */
export function explainOnTarget(rt: Runtime, targetId: string, actor: Actor, sourceAddress: string | null, body: ExplainBody): Promise<ExplainResponse> {
  const ctx: ExplainContext = {
    store: rt.store.pool,
    actionPool: () => rt.explainPool(targetId),
    planningRole: rt.target(targetId)?.explainUrl !== undefined,
    targetId,
    serverVersionNum: rt.snapshot(targetId)?.capabilities?.serverVersionNum ?? null,
    actor,
    sourceAddress,
  };
  return explainForActor(ctx, body);
}

export async function explainForActor(ctx: ExplainContext, body: ExplainBody): Promise<ExplainResponse> {
  const limiter = explainLimiter();
  const key = `${ctx.actor.name}\u0000${ctx.targetId}`;
  const wait = limiter.retryAfterMs(key, Date.now());
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    throw new ExplainError(429, "rate_limited", `too many EXPLAIN requests: try again in ${seconds} s`, undefined, seconds);
  }
  const text = body.query ?? (await recordedExample(ctx, body.fingerprint!));
  const prepared = await prepareExplain({ text, analyze: body.analyze, params: body.params, serverVersionNum: ctx.serverVersionNum }).catch(async (e: unknown) => {
    // ANALYZE without values: first whether a function refuses the statement anyway (pg_sleep).
    const calls = e instanceof ExplainError && e.code === "needs_params" && body.analyze && !body.params?.length ? collectCalls(text) : null;
    if (calls) {
      limiter.recordFailure(key, Date.now());
      const refused = await refusedFunction(ctx.actionPool(), calls, true);
      if (refused) throw new ExplainError(400, "function_not_allowed", refused);
    }
    throw e;
  });
  limiter.recordFailure(key, Date.now());
  // Recorded before it runs. ANALYZE executes the statement, so its row holds exactly what ran,
  // values included, for a reviewer to read (the audit log is admin-only; docs/SECURITY.md).
  // Plain EXPLAIN runs nothing of it: its text is kept redacted.
  await recordAudit(ctx.store, {
    actor: ctx.actor,
    action: body.analyze ? "explain.analyze" : "explain",
    object: `target:${ctx.targetId}/fingerprint:${fingerprintSql(text)}`,
    after: body.analyze
      ? { sql: prepared.sql, values: prepared.values, analyze: true, generic: prepared.generic }
      : { query: redactSql(text), analyze: false, generic: prepared.generic, params: prepared.values.length },
    sourceAddress: ctx.sourceAddress,
  });
  const plan = await runExplain(ctx.actionPool(), prepared, { planningRole: ctx.planningRole });
  return { plan, analyze: body.analyze, generic: prepared.generic, query: text };
}

async function recordedExample(ctx: ExplainContext, fingerprint: string): Promise<string> {
  const now = new Date();
  const found = await fingerprintEvents(ctx.store, ctx.targetId, fingerprint, new Date(now.getTime() - FINGERPRINT_LOOKBACK_MS), now, 86_400, 1);
  const text = found.examples[0]?.query;
  if (text === undefined) throw new ExplainError(404, "unknown_fingerprint", "no statement with this fingerprint was recorded in the last 14 days", "fingerprint");
  return text;
}
