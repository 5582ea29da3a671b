// Packing closed hours (migration 012), run by maintenance (maintenance.ts, steps "pack" and
// "pack_1m"). Raw samples: the hour's rows leave `samples` and join
// (or replace) one `samples_packed` row per series and hour. An hour packed before and now holding
// late samples is merged: its packed samples plus the new ones, a sample present in both kept once.
// Times are kept as milliseconds from the row's hour: exact, the writers' times are JavaScript
// dates. $1, $2: hour-aligned bounds.

export const PACK_SAMPLES = `
WITH moved AS (
  DELETE FROM pgpulse.samples WHERE ts >= $1 AND ts < $2
  RETURNING series_id, date_trunc('hour', ts, 'UTC') AS hour, ts, value
), touched AS (
  SELECT DISTINCT series_id, hour FROM moved
), merged AS (
  SELECT DISTINCT ON (series_id, ts) series_id, hour, ts, value
  FROM (
    SELECT p.series_id, p.hour, p.hour + u.o * interval '1 millisecond' AS ts, u.v AS value, 0 AS src
      FROM pgpulse.samples_packed p
      JOIN touched t ON t.series_id = p.series_id AND t.hour = p.hour,
           unnest(p.offsets_ms, p.vals) AS u(o, v)
     WHERE p.hour >= $1 AND p.hour < $2
    UNION ALL
    SELECT series_id, hour, ts, value, 1 FROM moved
  ) x
  ORDER BY series_id, ts, src
)
INSERT INTO pgpulse.samples_packed AS p (series_id, hour, offsets_ms, vals)
SELECT series_id, hour,
       array_agg(round(extract(epoch FROM ts - hour) * 1000)::int ORDER BY ts),
       array_agg(value ORDER BY ts)
  FROM merged
 GROUP BY series_id, hour
ON CONFLICT (series_id, hour) DO UPDATE SET offsets_ms = EXCLUDED.offsets_ms, vals = EXCLUDED.vals`;

// The same for minute rollups whose hour is final (the minute rollup has passed it): each column
// as an array in bucket order, first_ts/last_ts as millisecond offsets from the hour. A minute
// recomputed after late samples replaces its packed version.
export const PACK_MINUTES = `
WITH moved AS (
  DELETE FROM pgpulse.samples_1m WHERE bucket >= $1 AND bucket < $2 RETURNING *
), touched AS (
  SELECT DISTINCT series_id, date_trunc('hour', bucket, 'UTC') AS hour FROM moved
), merged AS (
  SELECT DISTINCT ON (series_id, bucket) *
  FROM (
    SELECT m.*, date_trunc('hour', m.bucket, 'UTC') AS hour, 0 AS src FROM moved m
    UNION ALL
    SELECT p.series_id, date_trunc('minute', p.hour + u.f * interval '1 millisecond', 'UTC'), u.mn, u.mx, u.sm, u.n,
           p.hour + u.f * interval '1 millisecond', u.fv, p.hour + u.l * interval '1 millisecond', u.lv, u.i, u.ims, u.r, p.hour, 1
      FROM pgpulse.samples_1m_packed p
      JOIN touched t ON t.series_id = p.series_id AND t.hour = p.hour,
           unnest(p.min, p.max, p.sum, p.count, p.first_ms, p.first_value, p.last_ms, p.last_value, p.inc, p.inc_ms, p.resets)
             AS u(mn, mx, sm, n, f, fv, l, lv, i, ims, r)
     WHERE p.hour >= $1 AND p.hour < $2
  ) x
  ORDER BY series_id, bucket, src
)
INSERT INTO pgpulse.samples_1m_packed AS p
  (series_id, hour, min, max, sum, count, first_ms, first_value, last_ms, last_value, inc, inc_ms, resets)
SELECT series_id, hour,
       array_agg(min ORDER BY bucket), array_agg(max ORDER BY bucket), array_agg(sum ORDER BY bucket),
       array_agg(count ORDER BY bucket),
       array_agg(round(extract(epoch FROM first_ts - hour) * 1000)::int ORDER BY bucket), array_agg(first_value ORDER BY bucket),
       array_agg(round(extract(epoch FROM last_ts - hour) * 1000)::int ORDER BY bucket), array_agg(last_value ORDER BY bucket),
       array_agg(inc ORDER BY bucket), array_agg(inc_ms ORDER BY bucket), array_agg(resets ORDER BY bucket)
  FROM merged
 GROUP BY series_id, hour
ON CONFLICT (series_id, hour) DO UPDATE SET
  min = EXCLUDED.min, max = EXCLUDED.max, sum = EXCLUDED.sum, count = EXCLUDED.count,
  first_ms = EXCLUDED.first_ms, first_value = EXCLUDED.first_value, last_ms = EXCLUDED.last_ms,
  last_value = EXCLUDED.last_value, inc = EXCLUDED.inc, inc_ms = EXCLUDED.inc_ms, resets = EXCLUDED.resets`;
