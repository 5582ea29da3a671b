import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { exec, many, one } from "@/lib/db/query";
import { inTransaction } from "@/lib/db/transaction";
import { PACK_MINUTES, PACK_SAMPLES } from "./pack";

// Partitions ahead, retention by partition drop, and rollups of closed minutes and hours.

export interface Retention {
  /** Raw samples (default 14 days). */
  rawDays: number;
  /** Minute rollups (default 30 days). */
  minuteDays: number;
  /** Hour rollups (default 400 days: a year against the year before). */
  hourDays: number;
  /** Row history: table/index rows (default 31 days: this month against the last, growth windows). */
  rowHistoryDays: number;
  /** Slow query events, and up/down changes no current state needs (default 90 days). */
  eventDays: number;
}

export const DEFAULT_RETENTION: Retention = { rawDays: 14, minuteDays: 30, hourDays: 400, rowHistoryDays: 31, eventDays: 90 };

const DAY_MS = 86_400_000;
/** Days (or months for samples_1h) created ahead of today, so inserts never wait on DDL. */
const AHEAD: Record<string, number> = { samples: 3, samples_1m: 3, snapshot_sets: 3, snapshot_values: 3, samples_1h: 2 };

const countRow = z.object({ n: z.coerce.number().int() });

export async function ensurePartitionsAhead(pool: Pool, now: Date): Promise<number> {
  let created = 0;
  for (const [parent, n] of Object.entries(AHEAD)) {
    created += (await one(pool, countRow, "SELECT pgpulse.ensure_partitions($1, $2, $3) AS n", [parent, now, n], "store: ensure partitions")).n;
  }
  return created;
}

const nameRow = z.object({ name: z.string() });

export async function dropExpired(pool: Pool, now: Date, r: Retention): Promise<{ dropped: string[]; eventsDeleted: number; upChangesDeleted: number }> {
  // The size rollup lives as long as the row history it was made from (24 rows per target per day).
  await exec(pool, "DELETE FROM pgpulse.snapshot_sizes_1h WHERE hour_end < $1", [new Date(now.getTime() - r.rowHistoryDays * DAY_MS)]);
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  // Unpacked samples and minutes (migration 012) are kept a day past their packing (a late flush writes into
  // its day's partition, recreated on demand), and never past raw retention.
  const marks = await watermarks(pool);
  const unpacked = (packed: Date, days: number) => new Date(Math.max(ago(days).getTime(), Math.min(packed.getTime(), ago(1).getTime())));
  const cutoffs: Array<[string, Date]> = [
    ["samples", unpacked(marks.pack, r.rawDays)],
    ["samples_packed", ago(r.rawDays)],
    ["samples_1m", unpacked(marks.pack1m, r.minuteDays)],
    ["samples_1m_packed", ago(r.minuteDays)],
    ["samples_1h", ago(r.hourDays)],
    ["snapshot_sets", ago(r.rowHistoryDays)],
    ["snapshot_values", ago(r.rowHistoryDays)],
  ];
  const dropped: string[] = [];
  for (const [parent, cutoff] of cutoffs) {
    const rows = await many(pool, nameRow, "SELECT pgpulse.drop_partitions_before($1, $2) AS name", [parent, cutoff], "store: drop partitions");
    dropped.push(...rows.map((x) => x.name));
  }
  // Events are sparse; small batches keep each delete short.
  let eventsDeleted = 0;
  for (;;) {
    const deleted = await exec(
      pool,
      `DELETE FROM pgpulse.slow_query_events WHERE id IN (
         SELECT id FROM pgpulse.slow_query_events WHERE captured_at < $1 LIMIT 5000)`,
      [new Date(now.getTime() - r.eventDays * DAY_MS)],
    );
    eventsDeleted += deleted;
    if (deleted < 5000) break;
  }
  // Up/down changes serve a target's current state only (readFleet: the newest row, and the
  // outage's start: the rows after the last up row). Rows before the last up row and past event
  // retention are history nobody reads; a flapping target would otherwise grow them for ever.
  const upChangesDeleted = await exec(
    pool,
    `DELETE FROM pgpulse.target_up_changes o
      WHERE o.ts < $1
        AND o.ts < (SELECT max(u.ts) FROM pgpulse.target_up_changes u WHERE u.target_id = o.target_id AND u.up)`,
    [ago(r.eventDays)],
  );
  return { dropped, eventsDeleted, upChangesDeleted };
}

// Work per run is capped so a long catch-up (after an outage) never holds one huge transaction.
const MAX_MINUTE_SPAN_MS = 6 * 3_600_000;
const MAX_HOUR_SPAN_MS = 7 * DAY_MS;
/** Samples of a minute may arrive a little after it closes (collector and flush delays). */
const SETTLE_MS = 15_000;

const ROLLUP_1M = `
WITH s AS (
  SELECT series_id, ts, value, date_trunc('minute', ts, 'UTC') AS bucket,
         lag(value) OVER w AS prev,
         extract(epoch FROM ts - lag(ts) OVER w) * 1000 AS gap_ms
  FROM pgpulse.raw_samples(NULL, $1, $2)
  WINDOW w AS (PARTITION BY series_id, date_trunc('minute', ts, 'UTC') ORDER BY ts)
)
INSERT INTO pgpulse.samples_1m AS r
  (series_id, bucket, min, max, sum, count, first_ts, first_value, last_ts, last_value, inc, inc_ms, resets)
SELECT series_id, bucket, min(value), max(value), sum(value), count(*),
       min(ts), (array_agg(value ORDER BY ts))[1], max(ts), (array_agg(value ORDER BY ts DESC))[1],
       coalesce(sum(value - prev) FILTER (WHERE value >= prev), 0),
       coalesce(sum(gap_ms) FILTER (WHERE value >= prev), 0),
       count(*) FILTER (WHERE value < prev)
FROM s
GROUP BY series_id, bucket
ON CONFLICT (series_id, bucket) DO UPDATE SET
  min = EXCLUDED.min, max = EXCLUDED.max, sum = EXCLUDED.sum, count = EXCLUDED.count,
  first_ts = EXCLUDED.first_ts, first_value = EXCLUDED.first_value,
  last_ts = EXCLUDED.last_ts, last_value = EXCLUDED.last_value,
  inc = EXCLUDED.inc, inc_ms = EXCLUDED.inc_ms, resets = EXCLUDED.resets`;

// An hour from its minutes; a counter decrease between two minutes of the hour is a reset
// inside the hour.
const ROLLUP_1H = `
WITH m AS (
  SELECT *, date_trunc('hour', bucket, 'UTC') AS hour,
         lag(last_value) OVER w AS prev_last,
         extract(epoch FROM first_ts - lag(last_ts) OVER w) * 1000 AS gap_ms
  FROM pgpulse.minute_rollups(NULL, $1, $2)
  WINDOW w AS (PARTITION BY series_id, date_trunc('hour', bucket, 'UTC') ORDER BY bucket)
)
INSERT INTO pgpulse.samples_1h AS r
  (series_id, bucket, min, max, sum, count, first_ts, first_value, last_ts, last_value, inc, inc_ms, resets)
SELECT series_id, hour, min(min), max(max), sum(sum), sum(count)::int,
       min(first_ts), (array_agg(first_value ORDER BY bucket))[1],
       max(last_ts), (array_agg(last_value ORDER BY bucket DESC))[1],
       sum(inc) + coalesce(sum(first_value - prev_last) FILTER (WHERE first_value >= prev_last), 0),
       sum(inc_ms) + coalesce(sum(gap_ms) FILTER (WHERE first_value >= prev_last), 0),
       sum(resets)::int + count(*) FILTER (WHERE first_value < prev_last)
FROM m
GROUP BY series_id, hour
ON CONFLICT (series_id, bucket) DO UPDATE SET
  min = EXCLUDED.min, max = EXCLUDED.max, sum = EXCLUDED.sum, count = EXCLUDED.count,
  first_ts = EXCLUDED.first_ts, first_value = EXCLUDED.first_value,
  last_ts = EXCLUDED.last_ts, last_value = EXCLUDED.last_value,
  inc = EXCLUDED.inc, inc_ms = EXCLUDED.inc_ms, resets = EXCLUDED.resets`;

/**
 * Rolls up one step of closed buckets for one resolution; returns the number of buckets
 * (minutes or hours) covered, 0 when caught up. The state row is locked for the run so two
 * processes never roll up the same span, and a concurrent late flush waits, then moves the
 * mark back.
 */
const markRow = z.object({ done_until: z.date(), limit_ts: z.date() });

type Step = "1m" | "1h" | "pack" | "pack_1m";

const MARK_SQL: Record<Step, string> = {
  "1m": `SELECT done_until, date_trunc('minute', $1::timestamptz - make_interval(secs => $2), 'UTC') AS limit_ts
         FROM pgpulse.rollup_state WHERE resolution = '1m' FOR UPDATE`,
  "1h": `SELECT h.done_until, date_trunc('hour', m.done_until, 'UTC') AS limit_ts
         FROM pgpulse.rollup_state h, pgpulse.rollup_state m
         WHERE h.resolution = '1h' AND m.resolution = '1m' FOR UPDATE OF h`,
  // Closed hours, settled like the minutes.
  pack: `SELECT done_until, date_trunc('hour', $1::timestamptz - make_interval(secs => $2), 'UTC') AS limit_ts
         FROM pgpulse.rollup_state WHERE resolution = 'pack' FOR UPDATE`,
  // Hours whose minutes are final.
  pack_1m: `SELECT p.done_until, date_trunc('hour', m.done_until, 'UTC') AS limit_ts
            FROM pgpulse.rollup_state p, pgpulse.rollup_state m
            WHERE p.resolution = 'pack_1m' AND m.resolution = '1m' FOR UPDATE OF p`,
};
const STEP: Record<Step, { unitMs: number; maxSpanMs: number; parent: string; sql: string }> = {
  "1m": { unitMs: 60_000, maxSpanMs: MAX_MINUTE_SPAN_MS, parent: "samples_1m", sql: ROLLUP_1M },
  "1h": { unitMs: 3_600_000, maxSpanMs: MAX_HOUR_SPAN_MS, parent: "samples_1h", sql: ROLLUP_1H },
  pack: { unitMs: 3_600_000, maxSpanMs: MAX_MINUTE_SPAN_MS, parent: "samples_packed", sql: PACK_SAMPLES },
  pack_1m: { unitMs: 3_600_000, maxSpanMs: DAY_MS, parent: "samples_1m_packed", sql: PACK_MINUTES },
};

async function rollupStep(pool: Pool, resolution: Step, now: Date): Promise<number> {
  return inTransaction(pool, async (client) => {
    const { unitMs, maxSpanMs, parent, sql } = STEP[resolution];
    const mark = await one(client, markRow, MARK_SQL[resolution], resolution === "1h" || resolution === "pack_1m" ? [] : [now, SETTLE_MS / 1000], `store: rollup ${resolution} mark`);
    const lo = mark.done_until;
    const hi = new Date(Math.min(mark.limit_ts.getTime(), lo.getTime() + maxSpanMs));
    // Caught up: the transaction only read (and locked) the mark.
    if (hi <= lo) return 0;
    const spans = parent === "samples_1h" ? 2 : Math.ceil((hi.getTime() - lo.getTime()) / DAY_MS) + 1;
    await exec(client, "SELECT pgpulse.ensure_partitions($1, $2, $3)", [parent, lo, spans]);
    await exec(client, sql, [lo, hi]);
    await exec(client, "UPDATE pgpulse.rollup_state SET done_until = $2 WHERE resolution = $1", [resolution, hi]);
    return Math.round((hi.getTime() - lo.getTime()) / unitMs);
  });
}

export async function rollup(pool: Pool, now: Date): Promise<{ minutes: number; hours: number }> {
  let minutes = 0;
  let hours = 0;
  for (let n; (n = await rollupStep(pool, "1m", now)) > 0; ) minutes += n;
  for (let n; (n = await rollupStep(pool, "1h", now)) > 0; ) hours += n;
  return { minutes, hours };
}

/** Packs the closed hours of raw samples and minute rollups (migration 012); returns the hours of raw samples packed. */
export async function packSamples(pool: Pool, now: Date): Promise<number> {
  let hours = 0;
  for (let n; (n = await rollupStep(pool, "pack", now)) > 0; ) hours += n;
  while ((await rollupStep(pool, "pack_1m", now)) > 0);
  return hours;
}

const watermarkRow = z.object({ resolution: z.string(), done_until: z.date() });

export async function watermarks(pool: Pool): Promise<{ minute: Date; hour: Date; pack: Date; pack1m: Date }> {
  const rows = await many(pool, watermarkRow, "SELECT resolution, done_until FROM pgpulse.rollup_state", [], "store: watermarks");
  const get = (r: string) => rows.find((x) => x.resolution === r)?.done_until ?? new Date(0);
  return { minute: get("1m"), hour: get("1h"), pack: get("pack"), pack1m: get("pack_1m") };
}

/** Hours rolled up per statement: a week of one target, so a catch-up never holds one huge one. */
const SIZE_HOURS_PER_STEP = 168;

// Each hour's last set of a size metric whose rollup row is missing or was built from another set
// (a set flushed late into a rolled-up hour): no mark to keep, and a store upgraded with weeks of
// row history catches up by itself. The current hour is included: its row is rebuilt when a newer
// set arrives, and a reader checks the set time anyway.
const ROLLUP_SIZES = `
WITH sets AS (
  SELECT target_id, metric, ts, date_trunc('hour', ts - interval '1 microsecond', 'UTC') + interval '1 hour' AS hour_end
    FROM pgpulse.snapshot_sets
   WHERE metric = ANY($1) AND ts >= $2
), last AS (
  SELECT DISTINCT ON (target_id, metric, hour_end) * FROM sets ORDER BY target_id, metric, hour_end, ts DESC
), todo AS (
  SELECT l.* FROM last l
   WHERE NOT EXISTS (SELECT 1 FROM pgpulse.snapshot_sizes_1h r
                      WHERE r.target_id = l.target_id AND r.metric = l.metric AND r.hour_end = l.hour_end AND r.ts = l.ts)
   ORDER BY l.hour_end
   LIMIT $3
)
INSERT INTO pgpulse.snapshot_sizes_1h AS r (target_id, metric, hour_end, ts, object_ids, bytes)
SELECT t.target_id, t.metric, t.hour_end, t.ts,
       coalesce(array_agg(ov.object_id ORDER BY ov.object_id) FILTER (WHERE ov.object_id IS NOT NULL), '{}'),
       coalesce(array_agg(ov.bytes::float8 ORDER BY ov.object_id) FILTER (WHERE ov.object_id IS NOT NULL), '{}')
  FROM todo t
  LEFT JOIN LATERAL (
    SELECT v.object_id, v.bytes FROM pgpulse.snapshot_values v JOIN pgpulse.snapshot_objects o ON o.id = v.object_id
     WHERE v.ts = t.ts AND o.target_id = t.target_id AND o.metric = t.metric AND v.bytes IS NOT NULL
  ) ov ON true
 GROUP BY t.target_id, t.metric, t.hour_end, t.ts
ON CONFLICT (target_id, metric, hour_end) DO UPDATE SET ts = EXCLUDED.ts, object_ids = EXCLUDED.object_ids, bytes = EXCLUDED.bytes`;

/** Brings the hourly size rollup up to date over the row history's retention; returns hours written. */
export async function rollupSizes(pool: Pool, now: Date, metrics: readonly string[], days: number): Promise<number> {
  const from = new Date(now.getTime() - days * DAY_MS);
  let hours = 0;
  for (;;) {
    const n = await exec(pool, ROLLUP_SIZES, [metrics, from, SIZE_HOURS_PER_STEP]);
    hours += n;
    if (n < SIZE_HOURS_PER_STEP) return hours;
  }
}
