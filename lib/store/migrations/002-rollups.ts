import type { Migration } from "./types";

// Per-minute and per-hour rollups. Besides min/max/sum/count (gauges, trend pages) each bucket
// keeps what counter rates need, so a rate read from rollups equals the rate read from raw
// samples (for steps that are whole buckets):
//   inc / inc_ms  the sum of the non-negative deltas between consecutive samples inside the
//                 bucket and the time they cover (a decrease is a reset: left out, a gap);
//   resets        how many decreases were left out;
//   first_* / last_*  the bucket's end samples, for the interval across a bucket boundary,
//                 which is checked on read (first < previous bucket's last is a reset).

export const m002: Migration = {
  id: 2,
  name: "minute and hour rollups",
  sql: `
CREATE TABLE pgpulse.samples_1m (
  series_id bigint NOT NULL,
  bucket timestamptz NOT NULL,
  min double precision NOT NULL,
  max double precision NOT NULL,
  sum double precision NOT NULL,
  count int NOT NULL,
  first_ts timestamptz NOT NULL,
  first_value double precision NOT NULL,
  last_ts timestamptz NOT NULL,
  last_value double precision NOT NULL,
  inc double precision NOT NULL DEFAULT 0,
  inc_ms double precision NOT NULL DEFAULT 0,
  resets int NOT NULL DEFAULT 0,
  PRIMARY KEY (series_id, bucket)
) PARTITION BY RANGE (bucket);

CREATE TABLE pgpulse.samples_1h (LIKE pgpulse.samples_1m INCLUDING DEFAULTS, PRIMARY KEY (series_id, bucket))
  PARTITION BY RANGE (bucket);

-- How far each rollup is complete. A batch flushed late (the store was unreachable) moves the
-- mark back so the affected buckets are recomputed.
CREATE TABLE pgpulse.rollup_state (
  resolution text PRIMARY KEY CHECK (resolution IN ('1m', '1h')),
  done_until timestamptz NOT NULL
);
INSERT INTO pgpulse.rollup_state VALUES
  ('1m', date_trunc('minute', now())),
  ('1h', date_trunc('hour', now()));
`,
};
