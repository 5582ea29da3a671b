import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { exec, many } from "@/lib/db/query";
import type { EventWrite, HistoryRowWrite } from "./convert";

// Batched writes: one statement per kind of row, arrays passed through unnest (one round trip,
// no statement text growing with the batch).

export interface SeriesKey {
  targetId: string;
  name: string;
  labels: string;
  kind: "counter" | "gauge";
}

export function seriesKey(s: { targetId: string; name: string; labels: string }): string {
  return `${s.targetId}\u0000${s.name}\u0000${s.labels}`;
}

const RESOLVE_SERIES = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[]) WITH ORDINALITY AS u(target_id, name, labels, kind, i)
), ins AS (
  INSERT INTO pgpulse.series (target_id, name, labels, kind)
  SELECT target_id, name, labels, kind FROM input
  ON CONFLICT (target_id, name, labels) DO NOTHING
  RETURNING id, target_id, name, labels
)
SELECT input.i, coalesce(ins.id, s.id) AS id
FROM input
LEFT JOIN ins ON ins.target_id = input.target_id AND ins.name = input.name AND ins.labels = input.labels
LEFT JOIN pgpulse.series s ON s.target_id = input.target_id AND s.name = input.name AND s.labels = input.labels`;
const resolvedRow = z.object({ i: z.coerce.number().int(), id: z.coerce.number().int().nullable() });

/** Ids for series keys, creating the missing series. */
export async function resolveSeries(pool: Pool, keys: SeriesKey[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let pending = keys;
  // A second pass covers a series created concurrently by another process (invisible to the
  // first statement's snapshot, skipped by DO NOTHING).
  for (let pass = 0; pass < 2 && pending.length; pass++) {
    const rows = await many(
      pool,
      resolvedRow,
      RESOLVE_SERIES,
      [pending.map((k) => k.targetId), pending.map((k) => k.name), pending.map((k) => k.labels), pending.map((k) => k.kind)],
      "store: resolve series",
    );
    const missing: SeriesKey[] = [];
    for (const r of rows) {
      const k = pending[r.i - 1];
      if (r.id === null) missing.push(k);
      else out.set(seriesKey(k), r.id);
    }
    pending = missing;
  }
  if (pending.length) throw new Error(`could not resolve ${pending.length} series`);
  return out;
}

/**
 * Inserts samples; flushed late (after an outage) they move the rollup marks back so the
 * affected minutes and hours are recomputed, and the packing marks ('pack', 'pack_1m': hour
 * granularity, the ELSE branch) so packed hours are merged again. Same statement, so no window
 * where the samples are committed but the marks are not.
 */
export async function insertSamples(pool: Pool, ids: number[], ts: number[], values: number[]): Promise<void> {
  let min = Infinity;
  for (const t of ts) if (t < min) min = t;
  const minTs = new Date(min);
  await exec(
    pool,
    `WITH ins AS (
       INSERT INTO pgpulse.samples (series_id, ts, value)
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::float8[])
       ON CONFLICT DO NOTHING
     )
     UPDATE pgpulse.rollup_state
     SET done_until = date_trunc(CASE resolution WHEN '1m' THEN 'minute' ELSE 'hour' END, $4::timestamptz, 'UTC')
     WHERE done_until > $4`,
    [ids, ts.map((t) => new Date(t).toISOString()), values, minTs],
  );
}

/**
 * One set of the row history (all rows of one result): the compressed set and, when `withValues`
 * (see ROW_HISTORY_VALUE_METRICS), the per-object numbers.
 */
export async function insertHistoryRows(pool: Pool, rows: HistoryRowWrite[], withValues: boolean): Promise<void> {
  const { targetId, metric, ts } = rows[0];
  const values = withValues ? rows : [];
  await exec(
    pool,
    `WITH input AS (
       SELECT * FROM unnest($4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::float8[])
         AS u(object_key, bytes, live_tuples, dead_tuples, pct)
     ), new_objects AS (
       INSERT INTO pgpulse.snapshot_objects (target_id, metric, object_key)
       SELECT $1, $2, object_key FROM input
       ON CONFLICT DO NOTHING
       RETURNING id, object_key
     ), v AS (
       INSERT INTO pgpulse.snapshot_values (object_id, ts, bytes, live_tuples, dead_tuples, pct)
       SELECT coalesce(n.id, o.id), $3, i.bytes, i.live_tuples, i.dead_tuples, i.pct
       FROM input i
       LEFT JOIN new_objects n ON n.object_key = i.object_key
       LEFT JOIN pgpulse.snapshot_objects o ON o.target_id = $1 AND o.metric = $2 AND o.object_key = i.object_key
       WHERE coalesce(n.id, o.id) IS NOT NULL
       ON CONFLICT DO NOTHING
     )
     INSERT INTO pgpulse.snapshot_sets (target_id, metric, ts, object_count, rows)
     VALUES ($1, $2, $3, $9, $10::jsonb)
     ON CONFLICT DO NOTHING`,
    [
      targetId,
      metric,
      ts.toISOString(),
      values.map((r) => r.objectKey),
      values.map((r) => (r.bytes === null ? null : Math.round(r.bytes))),
      values.map((r) => (r.liveTuples === null ? null : Math.round(r.liveTuples))),
      values.map((r) => (r.deadTuples === null ? null : Math.round(r.deadTuples))),
      values.map((r) => r.pct),
      rows.length,
      JSON.stringify(rows.map((r) => r.row)),
    ],
  );
}

/** Events: a running statement seen again updates its duration (it only grows) and last_seen. */
export async function upsertEvents(pool: Pool, events: EventWrite[]): Promise<void> {
  await exec(
    pool,
    `INSERT INTO pgpulse.slow_query_events AS e
       (target_id, source, dedupe_key, fingerprint, query, duration_ms, calls, total_ms, max_ms,
        captured_at, last_seen, queryid, pid, username, datname)
     SELECT t, src, k, f, q, d, c, tot, mx, ca, ca, qid, pid, u, db
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::bigint[],
                 $8::float8[], $9::float8[], $10::timestamptz[], $11::text[], $12::int[], $13::text[], $14::text[])
       AS u(t, src, k, f, q, d, c, tot, mx, ca, qid, pid, u, db)
     ON CONFLICT (target_id, dedupe_key) DO UPDATE SET
       duration_ms = EXCLUDED.duration_ms,
       max_ms = EXCLUDED.max_ms,
       last_seen = EXCLUDED.last_seen
     WHERE e.source = 'running' AND EXCLUDED.last_seen >= e.last_seen`,
    [
      events.map((e) => e.targetId),
      events.map((e) => e.source),
      events.map((e) => e.dedupeKey),
      events.map((e) => e.fingerprint),
      events.map((e) => e.query),
      events.map((e) => e.durationMs),
      events.map((e) => (e.calls === null ? null : Math.round(e.calls))),
      events.map((e) => e.totalMs),
      events.map((e) => e.maxMs),
      events.map((e) => e.capturedAt.toISOString()),
      events.map((e) => e.queryid),
      events.map((e) => e.pid),
      events.map((e) => e.username),
      events.map((e) => e.datname),
    ],
  );
}

export interface StatusWrite {
  targetId: string;
  metric: string;
  status: "ok" | "unavailable" | "error";
  reason: string | null;
  /** First time this outcome was seen (kept when coalescing repeats). */
  since: Date;
  ts: Date;
  errors: number;
}

export async function upsertStatuses(pool: Pool, rows: StatusWrite[]): Promise<void> {
  await exec(
    pool,
    `INSERT INTO pgpulse.metric_status AS m (target_id, metric, status, reason, since, updated_at, error_count)
     SELECT t, mt, s, r, since, ts, e
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::bigint[])
       AS u(t, mt, s, r, since, ts, e)
     ON CONFLICT (target_id, metric) DO UPDATE SET
       since = CASE WHEN m.status = EXCLUDED.status THEN m.since ELSE EXCLUDED.since END,
       status = EXCLUDED.status,
       reason = EXCLUDED.reason,
       updated_at = EXCLUDED.updated_at,
       error_count = m.error_count + EXCLUDED.error_count`,
    [
      rows.map((r) => r.targetId),
      rows.map((r) => r.metric),
      rows.map((r) => r.status),
      rows.map((r) => r.reason),
      rows.map((r) => r.since.toISOString()),
      rows.map((r) => r.ts.toISOString()),
      rows.map((r) => r.errors),
    ],
  );
}

export interface UpChange {
  targetId: string;
  ts: Date;
  up: boolean;
  error: string | null;
  serverVersion: string | null;
  role: "primary" | "standby" | null;
}

export async function insertUpChanges(pool: Pool, rows: UpChange[]): Promise<void> {
  await exec(
    pool,
    `INSERT INTO pgpulse.target_up_changes (target_id, ts, up, error, server_version, role)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bool[], $4::text[], $5::text[], $6::text[])
     ON CONFLICT DO NOTHING`,
    [
      rows.map((r) => r.targetId),
      rows.map((r) => r.ts.toISOString()),
      rows.map((r) => r.up),
      rows.map((r) => r.error),
      rows.map((r) => r.serverVersion),
      rows.map((r) => r.role),
    ],
  );
}

/** UTC day (YYYY-MM-DD) of an epoch-ms timestamp: the samples or row-history partition it falls in. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export async function ensureDayPartition(pool: Pool, parent: "samples" | "snapshot_sets" | "snapshot_values", day: string): Promise<void> {
  await exec(pool, "SELECT pgpulse.ensure_partitions($1, $2, 1)", [parent, `${day}T00:00:00Z`]);
}
