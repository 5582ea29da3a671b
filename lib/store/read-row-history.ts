import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { many, maybeOne } from "@/lib/db/query";
import type { HistoryRows, ObjectHistoryPoint } from "./types";

// The row history: the rows of per-object metrics (tables, indexes, bloat, slow statements)
// kept every few minutes, whole (snapshot_sets) and as per-object numbers (snapshot_values).

const jsonRow = z.record(z.string(), z.unknown());

const rowsArray = z.array(jsonRow);

/** The newest stored rows of a metric (all objects), or null when none are stored. */
export async function latestHistoryRows(pool: Pool, targetId: string, metric: string): Promise<HistoryRows | null> {
  return historyRowsAt(pool, targetId, metric, null);
}

/** The last rows stored at or before `at` ("how did this table look last Tuesday"). */
export async function historyRowsAt(pool: Pool, targetId: string, metric: string, at: Date | null): Promise<HistoryRows | null> {
  const row = await maybeOne(
    pool,
    z.object({ ts: z.date(), rows: rowsArray }),
    `SELECT ts, rows FROM pgpulse.snapshot_sets
     WHERE target_id = $1 AND metric = $2 AND ($3::timestamptz IS NULL OR ts <= $3)
     ORDER BY ts DESC LIMIT 1`,
    [targetId, metric, at],
    "row history",
  );
  return row && { ts: row.ts, rows: row.rows };
}

/**
 * Measured rows of a metric within [from, to], oldest first: the first set of each of `slices`
 * equal parts of the range, so a week reads no more sets than an hour. Simulated demo history
 * (pgpulse.simulated_ranges) is left out: it holds sizes, not the counters rates are made of.
 */
export async function historyRowsWithin(pool: Pool, targetId: string, metric: string, from: Date, to: Date, slices: number): Promise<HistoryRows[]> {
  const rows = await many(
    pool,
    z.object({ ts: z.date(), rows: rowsArray }),
    `SELECT ts, rows FROM (
       SELECT DISTINCT ON (slice) ts, rows FROM (
         SELECT s.ts, s.rows,
                width_bucket(extract(epoch FROM s.ts), extract(epoch FROM $3::timestamptz), extract(epoch FROM $4::timestamptz) + 0.001, $5) AS slice
         FROM pgpulse.snapshot_sets s
         WHERE s.target_id = $1 AND s.metric = $2 AND s.ts >= $3 AND s.ts <= $4
           AND NOT EXISTS (SELECT 1 FROM pgpulse.simulated_ranges r WHERE r.target_id = s.target_id AND s.ts BETWEEN r.from_ts AND r.to_ts)
       ) sliced ORDER BY slice, ts
     ) firsts ORDER BY ts`,
    [targetId, metric, from, to, slices],
    "row history within a range",
  );
  return rows.map((r) => ({ ts: r.ts, rows: r.rows }));
}

const objectHistoryRow = z.object({
  ts: z.date(),
  bytes: z.number().nullable(),
  live_tuples: z.number().nullable(),
  dead_tuples: z.number().nullable(),
  pct: z.number().nullable(),
});

/** One object's stored numbers (size, tuples, percent) over [from, to), oldest first. */
export async function objectHistory(pool: Pool, targetId: string, metric: string, objectKey: string, from: Date, to: Date): Promise<ObjectHistoryPoint[]> {
  const rows = await many(
    pool,
    objectHistoryRow,
    `SELECT v.ts, v.bytes, v.live_tuples, v.dead_tuples, v.pct
     FROM pgpulse.snapshot_objects o JOIN pgpulse.snapshot_values v ON v.object_id = o.id
     WHERE o.target_id = $1 AND o.metric = $2 AND o.object_key = $3 AND v.ts >= $4 AND v.ts < $5 ORDER BY v.ts`,
    [targetId, metric, objectKey, from, to],
    "object history",
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
