import { NextResponse } from "next/server";
import { fingerprintSql, loadSqlParser, redactSql } from "@/lib/analysis/sql-text";
import { explainRequestSchema, explainResponseSchema } from "@/lib/api/explain";
import { recordAudit } from "@/lib/auth/audit";
import { sourceAddress } from "@/lib/auth/identify";
import { requireRole } from "@/lib/auth/require-role";
import { authSettings } from "@/lib/auth/settings";
import { ExplainError, explainLimiter, prepareExplain, runExplain } from "@/lib/server/explain";
import { parseInput, readJson, route, targetOr404 } from "@/lib/server/route";
import { fingerprintEvents } from "@/lib/server/views/slow-detail-read";

export const dynamic = "force-dynamic";

const FINGERPRINT_LOOKBACK_MS = 14 * 86_400_000;

// POST /api/targets/{id}/explain {query | fingerprint, analyze, params?}: plan only for
// responders, ANALYZE for admins; a single SELECT, read-only, timed out, rate-limited, audited.
export const POST = route<{ id: string }>(async (req, { params, rt }) => {
  const target = targetOr404(rt, params.id);
  const body = parseInput(await readJson(req), explainRequestSchema);
  const { actor } = await requireRole(req, body.analyze ? "admin" : "responder");
  try {
    const limiter = explainLimiter();
    const key = `${actor.name}\u0000${target.id}`;
    const wait = limiter.retryAfterMs(key, Date.now());
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      return NextResponse.json(
        { error: `too many EXPLAIN requests: try again in ${seconds} s`, code: "rate_limited" },
        { status: 429, headers: { "retry-after": String(seconds) } },
      );
    }
    let text = body.query;
    if (text === undefined) {
      const now = new Date();
      const found = await fingerprintEvents(rt.store.pool, target.id, body.fingerprint!, new Date(now.getTime() - FINGERPRINT_LOOKBACK_MS), now, 86_400, 1);
      text = found.examples[0]?.query;
      if (text === undefined) throw new ExplainError(404, "unknown_fingerprint", "no statement with this fingerprint was recorded in the last 14 days", "fingerprint");
    }
    const prepared = await prepareExplain({
      text,
      analyze: body.analyze,
      params: body.params,
      serverVersionNum: rt.snapshot(target.id)?.capabilities?.serverVersionNum ?? null,
    });
    limiter.recordFailure(key, Date.now());
    await loadSqlParser();
    // Recorded before it runs: ANALYZE executes the statement. The text is kept redacted.
    await recordAudit(rt.store.pool, {
      actor,
      action: body.analyze ? "explain.analyze" : "explain",
      object: `target:${target.id}/fingerprint:${fingerprintSql(text)}`,
      after: { query: redactSql(text), analyze: body.analyze, generic: prepared.generic, params: prepared.values.length },
      sourceAddress: sourceAddress(req.headers, authSettings()),
    });
    const plan = await runExplain(rt.actionPool(target.id), prepared);
    return NextResponse.json(explainResponseSchema.parse({ plan, analyze: body.analyze, generic: prepared.generic, query: text }));
  } catch (e) {
    if (!(e instanceof ExplainError)) throw e;
    return NextResponse.json({ error: e.message, code: e.code, ...(e.param ? { param: e.param } : {}) }, { status: e.status });
  }
});
