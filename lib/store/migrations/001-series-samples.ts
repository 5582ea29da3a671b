import type { Migration } from "./types";

// Raw samples, partitioned by UTC day so retention is DROP TABLE of a whole partition (no
// row-by-row deletes, no vacuum debt). The partition helpers take the parent from an allowlist
// and quote every identifier with format('%I').

export const m001: Migration = {
  id: 1,
  name: "series and day-partitioned samples",
  sql: `
CREATE TABLE pgpulse.series (
  id bigserial PRIMARY KEY,
  target_id text NOT NULL,
  name text NOT NULL,
  labels jsonb NOT NULL DEFAULT '{}',
  kind text NOT NULL CHECK (kind IN ('counter', 'gauge')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (target_id, name, labels)
);

-- Null values are not stored: a missing sample is a gap. The primary key makes a retried batch
-- harmless (ON CONFLICT DO NOTHING) and is the read index (series_id, ts).
CREATE TABLE pgpulse.samples (
  series_id bigint NOT NULL,
  ts timestamptz NOT NULL,
  value double precision NOT NULL,
  PRIMARY KEY (series_id, ts)
) PARTITION BY RANGE (ts);

CREATE FUNCTION pgpulse.partition_span(parent text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE parent
    WHEN 'samples' THEN 'day'
    WHEN 'samples_1m' THEN 'day'
    WHEN 'snapshot_sets' THEN 'day'
    WHEN 'snapshot_values' THEN 'day'
    WHEN 'samples_1h' THEN 'month'
  END
$$;

-- Creates the partitions of parent covering [first, first + n spans) in UTC; returns how many
-- were created. Safe against a concurrent creator (another pgpulse process on the same store).
CREATE FUNCTION pgpulse.ensure_partitions(parent text, first timestamptz, n int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
  span text := pgpulse.partition_span(parent);
  lo timestamp;
  hi timestamp;
  part text;
  created int := 0;
BEGIN
  IF span IS NULL THEN
    RAISE EXCEPTION 'not a partitioned pgpulse table: %', parent;
  END IF;
  lo := date_trunc(span, first AT TIME ZONE 'UTC');
  FOR i IN 1..n LOOP
    hi := lo + ('1 ' || span)::interval;
    part := parent || '_p' || to_char(lo, CASE span WHEN 'day' THEN 'YYYYMMDD' ELSE 'YYYYMM' END);
    IF to_regclass(format('pgpulse.%I', part)) IS NULL THEN
      BEGIN
        EXECUTE format('CREATE TABLE pgpulse.%I PARTITION OF pgpulse.%I FOR VALUES FROM (%L) TO (%L)',
          part, parent, (lo AT TIME ZONE 'UTC'), (hi AT TIME ZONE 'UTC'));
        created := created + 1;
      EXCEPTION WHEN duplicate_table THEN
        NULL;
      END;
    END IF;
    lo := hi;
  END LOOP;
  RETURN created;
END
$$;

-- Drops the partitions of parent whose whole range ends at or before cutoff; returns their names.
CREATE FUNCTION pgpulse.drop_partitions_before(parent text, cutoff timestamptz) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  span text := pgpulse.partition_span(parent);
  r record;
  lo timestamp;
BEGIN
  IF span IS NULL THEN
    RAISE EXCEPTION 'not a partitioned pgpulse table: %', parent;
  END IF;
  FOR r IN
    SELECT c.relname
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = format('pgpulse.%I', parent)::regclass
      AND c.relname ~ ('^' || parent || '_p[0-9]{6,8}$')
  LOOP
    lo := to_timestamp(substring(r.relname from '_p([0-9]+)$'),
      CASE span WHEN 'day' THEN 'YYYYMMDD' ELSE 'YYYYMM' END)::timestamp;
    IF ((lo + ('1 ' || span)::interval) AT TIME ZONE 'UTC') <= cutoff THEN
      EXECUTE format('DROP TABLE pgpulse.%I', r.relname);
      RETURN NEXT r.relname;
    END IF;
  END LOOP;
END
$$;
`,
};
