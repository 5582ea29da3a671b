import { NextResponse } from "next/server";
import { z } from "zod";
import { loadSqlParser, normalizeSql } from "@/lib/analysis/sql-text";
import { timeRangeQuerySchema } from "@/lib/api/common";
import { slowQueryDetailSchema, type SlowSource } from "@/lib/api/slow-queries";
import { requireRole } from "@/lib/auth/require-role";
import { MAX_RANGE_MS } from "@/lib/limits";
import { parseInput, parseQuery, route, targetOr404 } from "@/lib/server/route";
import { fingerprintEvents } from "@/lib/server/views/slow-detail-read";
import { toSlowGroups } from "@/lib/server/views/slow-queries";
import { redactorFor } from "@/lib/server/views/sources";

export const dynamic = "force-dynamic";

const fingerprintSchema = z.string().regex(/^[0-9a-f]{16}$/, "must be 16 hex digits");

// One fingerprint: its group figures, mean duration per bucket and example texts.
export const GET = route<{ id: string; fingerprint: string }>(async (req, { params, rt }) => {
  const { actor } = await requireRole(req, "viewer");
  const target = targetOr404(rt, params.id);
  const fingerprint = parseInput({ fingerprint: params.fingerprint }, z.object({ fingerprint: fingerprintSchema })).fingerprint;
  const q = parseQuery(req, timeRangeQuerySchema);
  const to = new Date(q.to);
  const from = new Date(Math.max(Date.parse(q.from), to.getTime() - MAX_RANGE_MS));
  // The same buckets as the list's sparkline (the store's default: about 24 over the range).
  const bucketSeconds = Math.max(60, Math.ceil((to.getTime() - from.getTime()) / 1000 / 24));
  const [groups, events, redact] = await Promise.all([
    rt.store.slowQueryGroups(target.id, from, to, bucketSeconds),
    fingerprintEvents(rt.store.pool, target.id, fingerprint, from, to, bucketSeconds),
    redactorFor(actor.role),
    loadSqlParser(),
  ]);
  const group = groups.find((g) => g.fingerprint === fingerprint);
  const raw = events.examples[0]?.query ?? group?.exampleQuery ?? null;
  return NextResponse.json(
    slowQueryDetailSchema.parse({
      targetId: target.id,
      fingerprint,
      from: from.toISOString(),
      to: to.toISOString(),
      group: group ? toSlowGroups(groups, redact).find((g) => g.fingerprint === fingerprint)! : null,
      meanMs: events.meanMs,
      examples: events.examples.map((e) => ({
        query: redact(e.query),
        capturedAt: e.capturedAt.toISOString(),
        durationMs: e.durationMs,
        source: e.source as SlowSource,
      })),
      // Viewers get the redacted form (comments removed too); others the parser's normalization.
      normalized: raw === null ? null : actor.role === "viewer" ? redact(raw) : normalizeSql(raw),
    }),
  );
});
