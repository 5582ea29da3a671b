import type { RunningSlow, SlowGroup, SlowSource } from "@/lib/api/slow-queries";
import type { SlowQueryGroup } from "@/lib/store/types";
import type { ActivityRow, SlowRow } from "./rows";

// Slow statement groups from the store and the statements running over the threshold now
// (from the collector's snapshot) → the queries page's contract.

const SOURCES = new Set<SlowSource>(["slow_query_log", "pg_stat_statements", "running"]);

/**
 * count is observations (stored events); calls is executions, from pg_stat_statements windows
 * only (null without one). Shares are of the total time of every group in the range.
 */
export function toSlowGroups(groups: readonly SlowQueryGroup[], redact: (text: string) => string): SlowGroup[] {
  const total = groups.reduce((a, g) => a + (Number.isFinite(g.totalMs) ? g.totalMs : 0), 0);
  return groups.map((g) => ({
    fingerprint: g.fingerprint,
    count: g.count,
    calls: g.calls === null ? null : Math.round(g.calls),
    meanMs: finite(g.meanMs),
    p95Ms: finite(g.p95Ms),
    maxMs: finite(g.maxMs),
    totalMs: finite(g.totalMs),
    totalShare: total > 0 && Number.isFinite(g.totalMs) ? g.totalMs / total : null,
    firstSeen: g.firstSeen.toISOString(),
    lastSeen: g.lastSeen.toISOString(),
    sources: g.sources.filter((s): s is SlowSource => SOURCES.has(s as SlowSource)),
    example: g.exampleQuery ? redact(g.exampleQuery) : null,
    occurrences: g.buckets.map(([t, n]) => [t, n] as [string, number]),
  }));
}

const finite = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? null : n);

/**
 * Statements running over the threshold: the slow_queries sample's running rows when it has
 * any fresher than the activity sample, else active sessions of stat_activity over the
 * threshold (sampled every few seconds, so usually the fresher of the two).
 */
export function runningOverThreshold(
  activity: { ts: Date; rows: ActivityRow[] } | null,
  slow: { ts: Date; rows: SlowRow[] } | null,
  thresholdMs: number,
  fingerprint: (text: string) => string | null,
  redact: (text: string) => string,
): RunningSlow[] {
  if (activity && (!slow || activity.ts >= slow.ts)) {
    return activity.rows
      .filter((r) => r.state === "active" && !r.hidden && r.query_ms !== null && r.query_ms > thresholdMs)
      .sort((a, b) => (b.query_ms ?? 0) - (a.query_ms ?? 0))
      .map((r) => ({
        pid: r.pid,
        fingerprint: r.query ? fingerprint(r.query) : null,
        user: r.usename,
        application: r.application_name,
        durationMs: r.query_ms,
        query: r.query ? redact(r.query) : null,
      }));
  }
  if (!slow) return [];
  return slow.rows
    .filter((r) => r.source === "running" && r.pid !== null)
    .sort((a, b) => (b.duration_ms ?? 0) - (a.duration_ms ?? 0))
    .map((r) => ({
      pid: r.pid!,
      fingerprint: r.fingerprint,
      user: r.username,
      application: null,
      durationMs: r.duration_ms,
      query: r.query ? redact(r.query) : null,
    }));
}
