import type { Migration } from "./types";

// Raw samples and minute rollups packed per series and hour. A sample row in `samples` costs ~88 bytes (row header,
// item pointer and primary-key entry are ~70 of them) for 12 bytes of content; at a 1,000-table
// target's default cadences that was 57 MB/day, half of the store (bench/store-size). Closed hours
// move from `samples` (kept as the write path: one row per sample, retried batches harmless) into
// one row per (series, hour) with the samples' offsets and values as arrays: 12 bytes a sample.
// Lossless: the offsets are in milliseconds (the writers' timestamps are JavaScript dates) and the
// values stay double precision. Rows over ~2 kB are compressed by TOAST.
//
// `pgpulse.raw_samples` is the one reader of raw samples (range reads, the minute rollup, the
// packing itself): both tables, a sample present in both (a batch retried after it was packed)
// counted once. A packed hour that gets late samples (the store was away) is merged again:
// insertSamples moves the 'pack' mark back to that hour as it does the rollup marks.
//
// Minute rollups the same way (they were 20 MB/day, ~170 bytes a row): closed hours whose minutes
// are final move from \`samples_1m\` into one row per (series, hour) with each column as an array
// (first_ts and last_ts as millisecond offsets from the hour; the bucket is first_ts's minute).
// \`pgpulse.minute_rollups\` reads both; a minute present in both (recomputed after late samples)
// is read from \`samples_1m\`, the newer one, until the 'pack_1m' step merges it.
export const m012: Migration = {
  id: 12,
  name: "raw samples packed per series and hour",
  sql: `
CREATE TABLE pgpulse.samples_packed (
  series_id bigint NOT NULL,
  hour timestamptz NOT NULL,
  offsets_ms int[] NOT NULL,
  vals double precision[] NOT NULL,
  PRIMARY KEY (series_id, hour),
  CHECK (cardinality(offsets_ms) = cardinality(vals))
) PARTITION BY RANGE (hour);

CREATE TABLE pgpulse.samples_1m_packed (
  series_id bigint NOT NULL,
  hour timestamptz NOT NULL,
  min double precision[] NOT NULL,
  max double precision[] NOT NULL,
  sum double precision[] NOT NULL,
  count int[] NOT NULL,
  first_ms int[] NOT NULL,
  first_value double precision[] NOT NULL,
  last_ms int[] NOT NULL,
  last_value double precision[] NOT NULL,
  inc double precision[] NOT NULL,
  inc_ms double precision[] NOT NULL,
  resets int[] NOT NULL,
  PRIMARY KEY (series_id, hour)
) PARTITION BY RANGE (hour);

-- The rollups read a few minutes of every series: by hour, they find the (usually no) packed rows
-- of those minutes without scanning the day's. One entry per series and hour.
CREATE INDEX samples_packed_hour_idx ON pgpulse.samples_packed (hour);
CREATE INDEX samples_1m_packed_hour_idx ON pgpulse.samples_1m_packed (hour);

CREATE OR REPLACE FUNCTION pgpulse.partition_span(parent text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE parent
    WHEN 'samples' THEN 'day'
    WHEN 'samples_packed' THEN 'day'
    WHEN 'samples_1m' THEN 'day'
    WHEN 'samples_1m_packed' THEN 'day'
    WHEN 'snapshot_sets' THEN 'day'
    WHEN 'snapshot_values' THEN 'day'
    WHEN 'samples_1h' THEN 'month'
  END
$$;

ALTER TABLE pgpulse.rollup_state DROP CONSTRAINT rollup_state_resolution_check;
ALTER TABLE pgpulse.rollup_state ADD CONSTRAINT rollup_state_resolution_check CHECK (resolution IN ('1m', '1h', 'pack', 'pack_1m'));
-- A store upgraded with weeks of raw samples packs them from the oldest hour on (a few hours per
-- maintenance step, so no run holds one huge transaction).
INSERT INTO pgpulse.rollup_state
SELECT 'pack', least(date_trunc('hour', now(), 'UTC'), (SELECT date_trunc('hour', min(ts), 'UTC') FROM pgpulse.samples))
UNION ALL
SELECT 'pack_1m', least(date_trunc('hour', now(), 'UTC'), (SELECT date_trunc('hour', min(bucket), 'UTC') FROM pgpulse.samples_1m));

-- Samples of the given series (all when ids is NULL) in [lo, hi), from both tables. Inlined by
-- the planner (one SELECT, STABLE), so the bounds prune partitions and use both primary keys.
CREATE FUNCTION pgpulse.raw_samples(ids bigint[], lo timestamptz, hi timestamptz)
RETURNS TABLE (series_id bigint, ts timestamptz, value double precision)
LANGUAGE sql STABLE AS $$
  SELECT DISTINCT ON (x.series_id, x.ts) x.series_id, x.ts, x.value
  FROM (
    SELECT p.series_id, p.hour + u.o * interval '1 millisecond' AS ts, u.v AS value, 0 AS src
      FROM pgpulse.samples_packed p, unnest(p.offsets_ms, p.vals) AS u(o, v)
     WHERE (ids IS NULL OR p.series_id = ANY(ids)) AND p.hour > lo - interval '1 hour' AND p.hour < hi
    UNION ALL
    SELECT s.series_id, s.ts, s.value, 1
      FROM pgpulse.samples s
     WHERE (ids IS NULL OR s.series_id = ANY(ids)) AND s.ts >= lo AND s.ts < hi
  ) x
  WHERE x.ts >= lo AND x.ts < hi
  ORDER BY x.series_id, x.ts, x.src
$$;

-- Minute rollups of the given series (all when ids is NULL) with buckets in [lo, hi), from both tables.
CREATE FUNCTION pgpulse.minute_rollups(ids bigint[], lo timestamptz, hi timestamptz)
RETURNS SETOF pgpulse.samples_1m
LANGUAGE sql STABLE AS $$
  SELECT DISTINCT ON (x.series_id, x.bucket)
         x.series_id, x.bucket, x.min, x.max, x.sum, x.count, x.first_ts, x.first_value, x.last_ts, x.last_value, x.inc, x.inc_ms, x.resets
  FROM (
    SELECT m.*, 0 AS src
      FROM pgpulse.samples_1m m
     WHERE (ids IS NULL OR m.series_id = ANY(ids)) AND m.bucket >= lo AND m.bucket < hi
    UNION ALL
    SELECT p.series_id, date_trunc('minute', p.hour + u.f * interval '1 millisecond', 'UTC'), u.mn, u.mx, u.sm, u.n,
           p.hour + u.f * interval '1 millisecond', u.fv, p.hour + u.l * interval '1 millisecond', u.lv, u.i, u.ims, u.r, 1
      FROM pgpulse.samples_1m_packed p,
           unnest(p.min, p.max, p.sum, p.count, p.first_ms, p.first_value, p.last_ms, p.last_value, p.inc, p.inc_ms, p.resets)
             AS u(mn, mx, sm, n, f, fv, l, lv, i, ims, r)
     WHERE (ids IS NULL OR p.series_id = ANY(ids)) AND p.hour > lo - interval '1 hour' AND p.hour < hi
  ) x
  WHERE x.bucket >= lo AND x.bucket < hi
  ORDER BY x.series_id, x.bucket, x.src
$$;
`,
};
