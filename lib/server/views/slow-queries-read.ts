import "server-only";
import { fingerprintSql, loadSqlParser, normalizeSql } from "@/lib/analysis/sql-text";
import type { SlowQueriesResponse, SlowQueryDetail, SlowSource } from "@/lib/api/slow-queries";
import type { Role } from "@/lib/auth/roles";
import { MAX_RANGE_MS, SLOW_GROUPS_MAX } from "@/lib/limits";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { activityRow, parseRows, slowRow } from "./rows";
import { fingerprintEvents } from "./slow-detail-read";
import { runningOverThreshold, toSlowGroups } from "./slow-queries";
import { slowSourcesUnavailable } from "./slow-sources";
import { availability, redactorFor } from "./sources";

// The queries page: slow statements grouped by fingerprint over a range (store), those running
// over the threshold now (the collector's snapshot), and one fingerprint's detail.

/** The range asked for, clamped to the longest the UI offers. */
function clampRange(q: { from: string; to: string }): { from: Date; to: Date } {
  const to = new Date(q.to);
  return { from: new Date(Math.max(Date.parse(q.from), to.getTime() - MAX_RANGE_MS)), to };
}

export async function slowQueriesView(rt: Runtime, targetId: string, role: Role, range: { from: string; to: string }): Promise<SlowQueriesResponse> {
  const { from, to } = clampRange(range);
  const thresholdMs = rt.thresholds(targetId).queryTimeMs;
  const [groups, unavailable, redact] = await Promise.all([
    rt.store.slowQueryGroups(targetId, from, to),
    availability(rt, targetId, ["slow_queries"]),
    redactorFor(role),
    loadSqlParser(),
  ]);
  const snap = rt.snapshot(targetId);
  const sa = snap?.metrics.stat_activity;
  const sq = snap?.metrics.slow_queries;
  const running = runningOverThreshold(
    sa?.status === "ok" ? { ts: sa.ts, rows: parseRows(sa.rows, activityRow).rows } : null,
    sq?.status === "ok" ? { ts: sq.ts, rows: parseRows(sq.rows, slowRow).rows } : null,
    thresholdMs,
    fingerprintSql,
    redact,
  );
  return {
    targetId,
    from: from.toISOString(),
    to: to.toISOString(),
    thresholdMs,
    unavailable: unavailable.slow_queries,
    sourcesUnavailable: slowSourcesUnavailable(snap?.capabilities ?? null),
    groups: toSlowGroups(groups.slice(0, SLOW_GROUPS_MAX), redact),
    running,
  };
}

/** One fingerprint: its group figures, mean duration per bucket and example texts. */
export async function slowQueryDetailView(
  rt: Runtime,
  targetId: string,
  role: Role,
  fingerprint: string,
  range: { from: string; to: string },
): Promise<SlowQueryDetail> {
  const { from, to } = clampRange(range);
  // The same buckets as the list's sparkline (the store's default: about 24 over the range).
  const bucketSeconds = Math.max(60, Math.ceil((to.getTime() - from.getTime()) / 1000 / 24));
  const [groups, events, redact] = await Promise.all([
    rt.store.slowQueryGroups(targetId, from, to, bucketSeconds),
    rt.store.read((p) => fingerprintEvents(p, targetId, fingerprint, from, to, bucketSeconds)),
    redactorFor(role),
    loadSqlParser(),
  ]);
  const group = groups.find((g) => g.fingerprint === fingerprint);
  const raw = events.examples[0]?.query ?? group?.exampleQuery ?? null;
  return {
    targetId,
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
    normalized: raw === null ? null : role === "viewer" ? redact(raw) : normalizeSql(raw),
  };
}
