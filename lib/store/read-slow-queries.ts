import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { many } from "@/lib/db/query";
import type { SlowQueryGroup } from "./types";

// Slow statement events (slow_query_events), grouped by fingerprint or counted per bucket.

const groupRow = z.object({
  fingerprint: z.string(),
  count: z.number(),
  calls: z.number().nullable(),
  mean_ms: z.number(),
  p95_ms: z.number(),
  max_ms: z.number(),
  total_ms: z.number(),
  first_seen: z.date(),
  last_seen: z.date(),
  sources: z.array(z.string()),
  example_query: z.string(),
  buckets: z.array(z.number()),
});

/**
 * Slow statements grouped by fingerprint. Each event is one observation: count = events,
 * mean/p95 over the events' durations (for a pg_stat_statements window the window mean),
 * max = the largest max_ms or duration, total = Σ total_ms (or duration).
 * calls = Σ calls of the pg_stat_statements windows (each a delta of its counter), null when the
 * group has none: a log row or a running capture is often the same execution a window counts
 * again, so adding theirs would count it twice.
 */
export async function slowQueryGroups(pool: Pool, targetId: string, from: Date, to: Date, bucketSeconds: number): Promise<SlowQueryGroup[]> {
  const stepMs = bucketSeconds * 1000;
  const start = Math.floor(from.getTime() / stepMs) * stepMs;
  const nBuckets = Math.max(1, Math.ceil((to.getTime() - start) / stepMs));
  const rows = await many(
    pool,
    groupRow,
    `WITH ev AS (
       SELECT *, floor((extract(epoch FROM captured_at) * 1000 - $4::numeric) / $5::numeric)::int AS b
       FROM pgpulse.slow_query_events
       WHERE target_id = $1 AND captured_at >= $2 AND captured_at < $3
     )
     SELECT fingerprint,
            count(*)::int AS count,
            sum(calls) FILTER (WHERE source = 'pg_stat_statements')::float8 AS calls,
            avg(duration_ms) AS mean_ms,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95_ms,
            max(greatest(duration_ms, coalesce(max_ms, duration_ms))) AS max_ms,
            sum(coalesce(total_ms, duration_ms)) AS total_ms,
            min(captured_at) AS first_seen,
            max(last_seen) AS last_seen,
            array_agg(DISTINCT source ORDER BY source) AS sources,
            (array_agg(query ORDER BY last_seen DESC))[1] AS example_query,
            (SELECT array_agg(coalesce(c.n, 0) ORDER BY g.b)
               FROM generate_series(0, $6::int - 1) AS g(b)
               LEFT JOIN (SELECT e2.b, count(*)::int AS n FROM ev e2 WHERE e2.fingerprint = ev.fingerprint GROUP BY e2.b) c ON c.b = g.b
            ) AS buckets
     FROM ev
     GROUP BY fingerprint
     ORDER BY total_ms DESC`,
    [targetId, from, to, start, stepMs, nBuckets],
    "slow query groups",
  );
  return rows.map((r) => ({
    fingerprint: r.fingerprint,
    count: r.count,
    calls: r.calls,
    meanMs: r.mean_ms,
    p95Ms: r.p95_ms,
    maxMs: r.max_ms,
    totalMs: r.total_ms,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    sources: r.sources,
    exampleQuery: r.example_query,
    buckets: r.buckets.map((n, i) => [new Date(start + i * stepMs).toISOString(), n] as [string, number]),
  }));
}

/** Events per aligned bucket (bucket start, count); buckets without events are absent. */
export async function slowQueryCounts(pool: Pool, targetId: string, from: Date, to: Date, bucketSeconds: number): Promise<Array<[Date, number]>> {
  const stepMs = bucketSeconds * 1000;
  const rows = await many(
    pool,
    z.object({ b: z.number(), n: z.number() }),
    `SELECT (floor(extract(epoch FROM captured_at) * 1000 / $4::numeric) * $4::numeric)::float8 AS b, count(*)::int AS n
     FROM pgpulse.slow_query_events
     WHERE target_id = $1 AND captured_at >= $2 AND captured_at < $3
     GROUP BY 1 ORDER BY 1`,
    [targetId, from, to, stepMs],
    "slow query counts",
  );
  return rows.map((r) => [new Date(r.b), r.n]);
}
