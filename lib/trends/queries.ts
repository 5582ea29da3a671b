import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { many } from "@/lib/db/query";
import type { AlertWeek } from "./figures";

// The store reads behind the weekly page that the general store API does not offer: per-day
// slow statement counts in a time zone, alert episodes per target, sizes at a few chosen
// times of the row history, and two of its sets compared for bloat and unused indexes. All read
// the rollups, the row history and event tables — never raw samples.

export interface SlowDayRow {
  week: "current" | "previous";
  /** Local date, or null for the week's total row. */
  date: string | null;
  count: number;
  p95Ms: number | null;
}

/** Slow statement events per local day and per week, with the p95 of their durations. */
export async function slowStatsByDay(pool: Pool, targetId: string, prevFrom: Date, from: Date, to: Date, tz: string): Promise<SlowDayRow[]> {
  const rows = await many(
    pool,
    z.object({ cur: z.boolean(), day: z.string().nullable(), n: z.number(), p95: z.number().nullable() }),
    `SELECT captured_at >= $3 AS cur, to_char(captured_at AT TIME ZONE $5, 'YYYY-MM-DD') AS day,
            count(*)::int AS n, percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
       FROM pgpulse.slow_query_events
      WHERE target_id = $1 AND captured_at >= $2 AND captured_at < $4
      GROUP BY GROUPING SETS ((1, 2), (1))`,
    [targetId, prevFrom, from, to, tz],
    "trends: slow statements per day",
  );
  return rows.map((r) => ({ week: r.cur ? "current" : "previous", date: r.day, count: r.n, p95Ms: r.p95 }));
}

/** One week's alert figures per rule; `rule` null for the week's total row (all rules). */
export type AlertWeekRow = AlertWeek;

/**
 * Episodes that fired in each week, per rule and in total: the same definitions as the alert
 * stats (mttaMttr in lib/alerts/read.ts), restricted to one target.
 */
export async function alertWeeks(pool: Pool, targetId: string, prevFrom: Date, from: Date, to: Date): Promise<AlertWeekRow[]> {
  const rows = await many(
    pool,
    z.object({
      cur: z.boolean(),
      rule: z.string().nullable(),
      fired: z.number(),
      acknowledged: z.number(),
      resolved: z.number(),
      mtta: z.number().nullable(),
      mttr: z.number().nullable(),
    }),
    `SELECT fired_at >= $3 AS cur, rule,
            count(*)::int AS fired,
            count(acknowledged_at)::int AS acknowledged,
            count(resolved_at) FILTER (WHERE state = 'resolved')::int AS resolved,
            avg(extract(epoch FROM acknowledged_at - fired_at))::float8 AS mtta,
            (avg(extract(epoch FROM resolved_at - fired_at)) FILTER (WHERE state = 'resolved'))::float8 AS mttr
       FROM pgpulse.alerts
      WHERE target_id = $1 AND fired_at >= $2 AND fired_at < $4
      GROUP BY GROUPING SETS ((1, 2), (1))
      ORDER BY 2`,
    [targetId, prevFrom, from, to],
    "trends: alerts per week",
  );
  return rows.map((r) => ({
    week: r.cur ? "current" : "previous",
    rule: r.rule,
    fired: r.fired,
    acknowledged: r.acknowledged,
    resolved: r.resolved,
    mttaSeconds: r.mtta,
    mttrSeconds: r.mttr,
  }));
}

export interface SizeHistory {
  objectKey: string;
  /** Boundary index → the size at the last stored set in the day before that boundary. */
  points: Map<number, { ts: Date; bytes: number }>;
}

/**
 * Every object's size at each boundary: the metric's last stored set in the day before it (none
 * when there is none that recent). The set times are found first; each set's sizes then come from
 * the hourly size rollup (migration 011) when it holds that set, else from snapshot_values (a set
 * not rolled up yet, one flushed late, or one that is not its hour's last: a half-hour zone). With the set times known as
 * constants the planner prunes snapshot_values to their day partitions and reads them through
 * snapshot_values_ts_idx (migration 010); joined at run time it did not (measured 4× slower).
 */
export async function sizesAtBoundaries(pool: Pool, targetId: string, metric: string, at: Date[]): Promise<SizeHistory[]> {
  const times = await many(
    pool,
    z.object({ i: z.number(), ts: z.date().nullable() }),
    `SELECT b.i::int - 1 AS i,
            (SELECT s.ts FROM pgpulse.snapshot_sets s
              WHERE s.target_id = $1 AND s.metric = $2 AND s.ts <= b.at AND s.ts > b.at - interval '1 day'
              ORDER BY s.ts DESC LIMIT 1) AS ts
       FROM unnest($3::timestamptz[]) WITH ORDINALITY AS b(at, i)`,
    [targetId, metric, at],
    "trends: row history times",
  );
  const found = times.filter((t): t is { i: number; ts: Date } => t.ts !== null);
  if (found.length === 0) return [];
  const distinct = [...new Set(found.map((t) => t.ts.getTime()))];
  /** object key → set time (epoch ms) → bytes */
  const byObject = new Map<string, Map<number, number>>();
  const put = (key: string, ts: number, bytes: number) => (byObject.get(key) ?? byObject.set(key, new Map()).get(key)!).set(ts, bytes);

  // The arrays travel as comma-separated text: parsing 15 × 2,000 array elements with the driver's
  // array parser was most of this read's time (float8 text output is exact, so Number() is too).
  const rolledText = await many(
    pool,
    z.object({ ts: z.date(), ids: z.string(), bytes: z.string() }),
    `SELECT ts, array_to_string(object_ids, ',') AS ids, array_to_string(bytes, ',') AS bytes FROM pgpulse.snapshot_sizes_1h
      WHERE target_id = $1 AND metric = $2 AND hour_end = ANY($3::timestamptz[]) AND ts = ANY($4::timestamptz[])`,
    [targetId, metric, distinct.map((t) => new Date(Math.ceil(t / 3_600_000) * 3_600_000)), distinct.map((t) => new Date(t))],
    "trends: sizes in the size rollup",
  );
  const split = (t: string) => (t === "" ? [] : t.split(",").map(Number));
  const rolled = rolledText.map((r) => ({ ts: r.ts, object_ids: split(r.ids), bytes: split(r.bytes) }));
  if (rolled.length) {
    const keys = new Map(
      (
        await many(pool, z.object({ id: z.number(), object_key: z.string() }), "SELECT id, object_key FROM pgpulse.snapshot_objects WHERE target_id = $1 AND metric = $2", [targetId, metric], "trends: object keys")
      ).map((o) => [o.id, o.object_key]),
    );
    for (const r of rolled) r.object_ids.forEach((id, k) => put(keys.get(id)!, r.ts.getTime(), r.bytes[k]));
  }
  const rolledTs = new Set(rolled.map((r) => r.ts.getTime()));
  const missing = distinct.filter((t) => !rolledTs.has(t));
  if (missing.length) {
    const rows = await many(
      pool,
      z.object({ object_key: z.string(), ts: z.array(z.number()), bytes: z.array(z.number()) }),
      `SELECT o.object_key, array_agg(extract(epoch FROM v.ts)::float8 * 1000) AS ts, array_agg(v.bytes::float8) AS bytes
         FROM pgpulse.snapshot_values v
         JOIN pgpulse.snapshot_objects o ON o.id = v.object_id
        WHERE v.ts = ANY($3::timestamptz[]) AND o.target_id = $1 AND o.metric = $2 AND v.bytes IS NOT NULL
        GROUP BY o.object_key`,
      [targetId, metric, missing.map((t) => new Date(t))],
      "trends: sizes in the row history",
    );
    for (const r of rows) r.ts.forEach((t, k) => put(r.object_key, t, r.bytes[k]));
  }
  return [...byObject].map(([objectKey, byTs]) => {
    const points = new Map<number, { ts: Date; bytes: number }>();
    for (const t of found) {
      const bytes = byTs.get(t.ts.getTime());
      if (bytes !== undefined) points.set(t.i, { ts: t.ts, bytes });
    }
    return { objectKey, points };
  });
}

/**
 * The stored set that describes a week's start and the one for its end: the last one at or
 * before each moment (within a week), or, for the start, the week's first one.
 */
async function weekHistoryPair(pool: Pool, targetId: string, metric: string, from: Date, to: Date): Promise<{ start: Date | null; end: Date | null }> {
  const rows = await many(
    pool,
    z.object({ start_ts: z.date().nullable(), end_ts: z.date().nullable() }),
    `SELECT coalesce(
              (SELECT ts FROM pgpulse.snapshot_sets WHERE target_id = $1 AND metric = $2 AND ts <= $3 AND ts > $3 - interval '7 days' ORDER BY ts DESC LIMIT 1),
              (SELECT ts FROM pgpulse.snapshot_sets WHERE target_id = $1 AND metric = $2 AND ts > $3 AND ts < $4 ORDER BY ts LIMIT 1)) AS start_ts,
            (SELECT ts FROM pgpulse.snapshot_sets WHERE target_id = $1 AND metric = $2 AND ts > $3 AND ts < $4 ORDER BY ts DESC LIMIT 1) AS end_ts`,
    [targetId, metric, from, to],
    "trends: week row history",
  );
  const r = rows[0];
  return { start: r?.start_ts ?? null, end: r?.end_ts ?? null };
}

export interface BloatRow {
  objectKey: string;
  table: string;
  bloatPercent: number | null;
  previousBloatPercent: number | null;
  wastedBytes: number | null;
}

/**
 * Indexes whose (reliable) bloat rose the most between the week's first and last index_bloat
 * sets. Unreliable estimates are left out: they are not measurements.
 */
export async function bloatRises(pool: Pool, targetId: string, from: Date, to: Date, limit: number): Promise<BloatRow[]> {
  const pair = await weekHistoryPair(pool, targetId, "index_bloat", from, to);
  if (!pair.end) return [];
  const rows = await many(
    pool,
    z.object({ key: z.string(), tbl: z.string(), pct: z.number().nullable(), prev: z.number().nullable(), wasted: z.number().nullable() }),
    `WITH r AS (
       SELECT s.ts = $3 AS cur, e->>'schemaname' || '.' || (e->>'indexname') AS key,
              e->>'schemaname' || '.' || (e->>'tablename') AS tbl,
              (e->>'bloat_percent')::float8 AS pct, (e->>'estimated_bytes_wasted')::float8 AS wasted
         FROM pgpulse.snapshot_sets s, jsonb_array_elements(s.rows) e
        WHERE s.target_id = $1 AND s.metric = 'index_bloat' AND s.ts IN ($2, $3)
          AND coalesce((e->>'reliable')::boolean, false) AND e->>'bloat_percent' IS NOT NULL
     )
     SELECT key, tbl, max(pct) FILTER (WHERE cur) AS pct, max(pct) FILTER (WHERE NOT cur) AS prev,
            max(wasted) FILTER (WHERE cur) AS wasted
       FROM r GROUP BY key, tbl
     HAVING max(pct) FILTER (WHERE cur) IS NOT NULL
      ORDER BY max(pct) FILTER (WHERE cur) - coalesce(max(pct) FILTER (WHERE NOT cur), 0) DESC, key
      LIMIT $4`,
    [targetId, pair.start ?? pair.end, pair.end, limit],
    "trends: bloat rises",
  );
  // With a single set the start is the end: no change can be told.
  const same = !pair.start || pair.start.getTime() === pair.end.getTime();
  return rows.map((r) => ({ objectKey: r.key, table: r.tbl, bloatPercent: r.pct, previousBloatPercent: same ? null : r.prev, wastedBytes: r.wasted }));
}

/** Indexes unused at the week's end that were not (or did not exist) at its start. */
export async function newUnusedIndexes(pool: Pool, targetId: string, from: Date, to: Date, limit: number) {
  const pair = await weekHistoryPair(pool, targetId, "index_stats", from, to);
  if (!pair.end || !pair.start || pair.start.getTime() === pair.end.getTime()) return [];
  return many(
    pool,
    z.object({ objectKey: z.string(), table: z.string(), sizeBytes: z.number().nullable(), definition: z.string().nullable() }),
    `WITH r AS (
       SELECT s.ts = $3 AS cur, e->>'schemaname' || '.' || (e->>'table') || '.' || (e->>'index') AS key,
              e->>'schemaname' || '.' || (e->>'table') AS tbl, (e->>'unused')::boolean AS unused,
              (e->>'size_bytes')::float8 AS size_bytes, e->>'definition' AS definition
         FROM pgpulse.snapshot_sets s, jsonb_array_elements(s.rows) e
        WHERE s.target_id = $1 AND s.metric = 'index_stats' AND s.ts IN ($2, $3)
     )
     SELECT c.key AS "objectKey", c.tbl AS "table", c.size_bytes AS "sizeBytes", c.definition
       FROM r c LEFT JOIN r p ON NOT p.cur AND p.key = c.key
      WHERE c.cur AND c.unused AND NOT coalesce(p.unused, false)
      ORDER BY c.size_bytes DESC NULLS LAST, c.key
      LIMIT $4`,
    [targetId, pair.start, pair.end, limit],
    "trends: new unused indexes",
  );
}

export async function simulatedRanges(pool: Pool, targetId: string, from: Date, to: Date): Promise<Array<{ from: Date; to: Date }>> {
  const rows = await many(
    pool,
    z.object({ from_ts: z.date(), to_ts: z.date() }),
    `SELECT from_ts, to_ts FROM pgpulse.simulated_ranges WHERE target_id = $1 AND from_ts < $3 AND to_ts > $2 ORDER BY from_ts`,
    [targetId, from, to],
    "trends: simulated ranges",
  );
  return rows.map((r) => ({ from: r.from_ts, to: r.to_ts }));
}

export interface FingerprintWeekRow {
  week: "current" | "previous";
  fingerprint: string;
  count: number;
  p95Ms: number;
  totalMs: number;
  exampleQuery: string;
}

/**
 * Slow statements per fingerprint in each week: the figures of the store's slowQueryGroups
 * (count = events, p95 over their durations, total = Σ total_ms or duration) for both weeks in
 * one pass, without its per-bucket counts, which a week-level table does not need.
 */
export async function fingerprintWeeks(pool: Pool, targetId: string, prevFrom: Date, from: Date, to: Date): Promise<FingerprintWeekRow[]> {
  const rows = await many(
    pool,
    z.object({ cur: z.boolean(), fingerprint: z.string(), n: z.number(), p95: z.number(), total: z.number(), q: z.string() }),
    `SELECT captured_at >= $3 AS cur, fingerprint, count(*)::int AS n,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95,
            sum(coalesce(total_ms, duration_ms)) AS total,
            (array_agg(query ORDER BY last_seen DESC))[1] AS q
       FROM pgpulse.slow_query_events
      WHERE target_id = $1 AND captured_at >= $2 AND captured_at < $4
      GROUP BY 1, 2
      ORDER BY total DESC, fingerprint`,
    [targetId, prevFrom, from, to],
    "trends: fingerprints per week",
  );
  return rows.map((r) => ({ week: r.cur ? "current" : "previous", fingerprint: r.fingerprint, count: r.n, p95Ms: r.p95, totalMs: r.total, exampleQuery: r.q }));
}

/**
 * A cheap signature of the history a week's answer is built from (row counts and newest times of
 * each source over the two weeks): a cached answer is only reused while it is unchanged, so rows
 * written into a finished week afterwards (the demo's backfill, a flush after an outage, another
 * writer) are seen at once. Index-only counts over two weeks: a few ms.
 */
export async function weekHistorySignature(pool: Pool, targetIds: string[], from: Date, to: Date): Promise<string> {
  const rows = await many(
    pool,
    z.object({ sig: z.string() }),
    `SELECT concat_ws(':',
       (SELECT count(*) FROM pgpulse.samples_1h h JOIN pgpulse.series s ON s.id = h.series_id
         WHERE s.target_id = ANY($1) AND h.bucket >= $2 AND h.bucket < $3),
       (SELECT count(*) || '/' || coalesce(max(last_seen)::text, '') FROM pgpulse.slow_query_events
         WHERE target_id = ANY($1) AND captured_at >= $2 AND captured_at < $3),
       (SELECT count(*) || '/' || coalesce(max(greatest(fired_at, acknowledged_at, resolved_at))::text, '') FROM pgpulse.alerts
         WHERE target_id = ANY($1) AND fired_at >= $2 AND fired_at < $3),
       (SELECT count(*) || '/' || coalesce(max(ts)::text, '') FROM pgpulse.snapshot_sets
         WHERE target_id = ANY($1) AND ts > $2 - interval '7 days' AND ts < $3),
       (SELECT count(*) FROM pgpulse.simulated_ranges WHERE target_id = ANY($1))) AS sig`,
    [targetIds, from, to],
    "trends: history signature",
  );
  return rows[0].sig;
}
