import type { Migration } from "./types";

// Snapshots (tables, indexes, bloat) in two parts, both partitioned by day so retention is a
// partition drop:
//  - snapshot_sets: one row per snapshot with all objects' rows as one jsonb array. Column names
//    repeat in every object, so the array compresses well (TOAST); this is what "latest" and
//    "how did it look last Tuesday" read. Measured: ~6x smaller than one jsonb per object.
//  - snapshot_values: one narrow row per object per snapshot with the numbers read as history
//    (size for growth, live/dead tuples, bloat percent), keyed by (object id, ts) so one
//    table's history never scans the other objects.
//
// Slow query events are sparse (only statements over the threshold) and need a global
// dedupe key, so they are one ordinary table; retention deletes old rows in batches.

export const m003: Migration = {
  id: 3,
  name: "snapshots, slow query events, metric status",
  sql: `
CREATE TABLE pgpulse.snapshot_sets (
  target_id text NOT NULL,
  metric text NOT NULL,
  ts timestamptz NOT NULL,
  object_count int NOT NULL,
  rows jsonb NOT NULL,
  PRIMARY KEY (target_id, metric, ts)
) PARTITION BY RANGE (ts);

-- Objects get a small id, as series do, so the per-snapshot rows stay narrow.
CREATE TABLE pgpulse.snapshot_objects (
  id serial PRIMARY KEY,
  target_id text NOT NULL,
  metric text NOT NULL,
  object_key text NOT NULL,
  UNIQUE (target_id, metric, object_key)
);

CREATE TABLE pgpulse.snapshot_values (
  object_id int NOT NULL,
  ts timestamptz NOT NULL,
  bytes bigint,
  live_tuples bigint,
  dead_tuples bigint,
  pct double precision,
  PRIMARY KEY (object_id, ts)
) PARTITION BY RANGE (ts);

CREATE TABLE pgpulse.slow_query_events (
  id bigserial PRIMARY KEY,
  target_id text NOT NULL,
  source text NOT NULL CHECK (source IN ('slow_query_log', 'pg_stat_statements', 'running')),
  dedupe_key text NOT NULL,
  fingerprint text NOT NULL,
  query text NOT NULL,
  duration_ms double precision NOT NULL,
  calls bigint,
  total_ms double precision,
  max_ms double precision,
  captured_at timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  queryid text,
  pid int,
  username text,
  datname text,
  UNIQUE (target_id, dedupe_key)
);
CREATE INDEX slow_query_events_time_idx ON pgpulse.slow_query_events (target_id, captured_at);

-- Latest non-ok outcome per (target, metric); ok clears reason but keeps the error count.
CREATE TABLE pgpulse.metric_status (
  target_id text NOT NULL,
  metric text NOT NULL,
  status text NOT NULL CHECK (status IN ('ok', 'unavailable', 'error')),
  reason text,
  since timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  error_count bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (target_id, metric)
);

-- Up/down transitions of each target (written only on change).
CREATE TABLE pgpulse.target_up_changes (
  target_id text NOT NULL,
  ts timestamptz NOT NULL,
  up boolean NOT NULL,
  error text,
  PRIMARY KEY (target_id, ts)
);
`,
};
