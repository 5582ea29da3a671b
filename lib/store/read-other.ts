import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { many, maybeOne } from "@/lib/db/query";
import type { MetricStatusRow, SlowQueryGroup, SnapshotPoint, SnapshotRows } from "./types";

// Snapshot, slow query and status reads.

const jsonRow = z.record(z.string(), z.unknown());

const rowsArray = z.array(jsonRow);

/** The newest snapshot of a metric (all objects), or null when none is stored. */
export async function latestSnapshot(pool: Pool, targetId: string, metric: string): Promise<SnapshotRows | null> {
  return snapshotAt(pool, targetId, metric, null);
}

/** The last snapshot taken at or before `at` ("how did this table look last Tuesday"). */
export async function snapshotAt(pool: Pool, targetId: string, metric: string, at: Date | null): Promise<SnapshotRows | null> {
  const row = await maybeOne(
    pool,
    z.object({ ts: z.date(), rows: rowsArray }),
    `SELECT ts, rows FROM pgpulse.snapshot_sets
     WHERE target_id = $1 AND metric = $2 AND ($3::timestamptz IS NULL OR ts <= $3)
     ORDER BY ts DESC LIMIT 1`,
    [targetId, metric, at],
    "snapshot",
  );
  return row && { ts: row.ts, rows: row.rows };
}

const snapshotPointRow = z.object({
  ts: z.date(),
  bytes: z.number().nullable(),
  live_tuples: z.number().nullable(),
  dead_tuples: z.number().nullable(),
  pct: z.number().nullable(),
});

export async function snapshotsFor(pool: Pool, targetId: string, metric: string, objectKey: string, from: Date, to: Date): Promise<SnapshotPoint[]> {
  const rows = await many(
    pool,
    snapshotPointRow,
    `SELECT v.ts, v.bytes, v.live_tuples, v.dead_tuples, v.pct
     FROM pgpulse.snapshot_objects o JOIN pgpulse.snapshot_values v ON v.object_id = o.id
     WHERE o.target_id = $1 AND o.metric = $2 AND o.object_key = $3 AND v.ts >= $4 AND v.ts < $5 ORDER BY v.ts`,
    [targetId, metric, objectKey, from, to],
    "snapshot history",
  );
  return rows.map((r) => ({ ts: r.ts, bytes: r.bytes, liveTuples: r.live_tuples, deadTuples: r.dead_tuples, pct: r.pct }));
}

/** Per object, one averaged point per hour of the window plus the latest exact one. */
export async function sizeHistoryAll(pool: Pool, targetId: string, metric: string, from: Date, to: Date) {
  return many(
    pool,
    z.object({ object_key: z.string(), ts: z.date(), bytes: z.number() }),
    `WITH v AS (
       SELECT o.object_key, v.ts, v.bytes
       FROM pgpulse.snapshot_objects o JOIN pgpulse.snapshot_values v ON v.object_id = o.id
       WHERE o.target_id = $1 AND o.metric = $2 AND v.ts >= $3 AND v.ts <= $4 AND v.bytes IS NOT NULL
     )
     SELECT object_key, to_timestamp(avg(extract(epoch FROM ts))) AS ts, avg(bytes)::float8 AS bytes
     FROM v GROUP BY object_key, date_trunc('hour', ts, 'UTC')
     UNION ALL
     SELECT * FROM (SELECT DISTINCT ON (object_key) object_key, ts, bytes::float8 FROM v ORDER BY object_key, ts DESC) latest
     ORDER BY 1, 2`,
    [targetId, metric, from, to],
    "size history",
  );
}

const groupRow = z.object({
  fingerprint: z.string(),
  count: z.number(),
  calls: z.number(),
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
 * max = the largest max_ms or duration, total = Σ total_ms (or duration), calls = Σ calls
 * (1 per event without calls).
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
            sum(coalesce(calls, 1))::float8 AS calls,
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

const statusRow = z.object({
  metric: z.string(),
  status: z.enum(["ok", "unavailable", "error"]),
  reason: z.string().nullable(),
  since: z.date(),
  updated_at: z.date(),
  error_count: z.number(),
});

export async function metricStatus(pool: Pool, targetId: string): Promise<MetricStatusRow[]> {
  const rows = await many(
    pool,
    statusRow,
    "SELECT metric, status, reason, since, updated_at, error_count FROM pgpulse.metric_status WHERE target_id = $1 ORDER BY metric",
    [targetId],
    "metric status",
  );
  return rows.map((r) => ({ metric: r.metric, status: r.status, reason: r.reason, since: r.since, updatedAt: r.updated_at, errorCount: r.error_count }));
}
