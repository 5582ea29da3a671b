// The kundli_db schema from the product guidelines, as idempotent SQL run by the demo and by the
// test harness. Every statement can run twice without error and without changing anything.
//
// Design choice for planetary_positions: a foreign key to a partitioned table must reference a
// unique key that contains the partition key, so birth_charts' primary key is (id, birth_time)
// and planetary_positions carries birth_time next to birth_chart_id. planetary_positions itself
// is not partitioned: its primary key (birth_chart_id, planet) serves the guidelines' LATERAL
// join and CTE (`WHERE birth_chart_id = ...`) directly.

import { BACKUP_LOG_DDL } from "@/lib/setup/backup-log";

export const PLANETS = ["Sun", "Moon", "Mars", "Mercury", "Jupiter", "Venus", "Saturn", "Rahu", "Ketu", "Ascendant"] as const;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT current_timestamp,
  last_login_at timestamptz
);
CREATE INDEX IF NOT EXISTS idx_active_users ON users (id) WHERE is_active = true;

-- Identity columns on partitioned tables need PostgreSQL 17; a plain sequence works on 13+.
CREATE SEQUENCE IF NOT EXISTS birth_charts_id_seq AS bigint;
CREATE TABLE IF NOT EXISTS birth_charts (
  id bigint NOT NULL DEFAULT nextval('birth_charts_id_seq'),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  birth_time timestamptz NOT NULL,
  birth_place text NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  chart_style text NOT NULL DEFAULT 'north_indian',
  created_at timestamptz NOT NULL DEFAULT current_timestamp,
  updated_at timestamptz NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (id, birth_time)
) PARTITION BY RANGE (birth_time);
ALTER SEQUENCE birth_charts_id_seq OWNED BY birth_charts.id;
-- CREATE INDEX CONCURRENTLY (the guidelines' form) is not supported on a partitioned parent;
-- the plain form creates the index on every partition, present and future.
CREATE INDEX IF NOT EXISTS idx_birth_charts_composite ON birth_charts (user_id, birth_time);

-- Creates the partition of the month containing for_month (default: next month). Idempotent.
CREATE OR REPLACE PROCEDURE create_monthly_partition(for_month date DEFAULT NULL)
LANGUAGE plpgsql
AS $$
DECLARE
  m_start date := date_trunc('month', coalesce(for_month, (current_date + interval '1 month')::date));
  m_end date := (m_start + interval '1 month')::date;
  part text := format('birth_charts_y%sm%s', to_char(m_start, 'YYYY'), to_char(m_start, 'MM'));
BEGIN
  IF to_regclass(format('%I.%I', current_schema(), part)) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF birth_charts FOR VALUES FROM (%L) TO (%L)',
                   part, m_start, m_end);
  END IF;
END;
$$;

CREATE TABLE IF NOT EXISTS planetary_positions (
  birth_chart_id bigint NOT NULL,
  birth_time timestamptz NOT NULL,
  planet text NOT NULL,
  longitude double precision NOT NULL,
  sign smallint NOT NULL CHECK (sign BETWEEN 1 AND 12),
  house smallint NOT NULL CHECK (house BETWEEN 1 AND 12),
  nakshatra smallint NOT NULL CHECK (nakshatra BETWEEN 1 AND 27),
  is_retrograde boolean NOT NULL DEFAULT false,
  PRIMARY KEY (birth_chart_id, planet),
  FOREIGN KEY (birth_chart_id, birth_time) REFERENCES birth_charts (id, birth_time) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS query_cache (
  cache_key text PRIMARY KEY,
  cache_value jsonb,
  created_at timestamptz DEFAULT current_timestamp,
  expires_at timestamptz
);
CREATE INDEX IF NOT EXISTS idx_query_cache_expiry ON query_cache (expires_at);

CREATE TABLE IF NOT EXISTS audit_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  table_name text,
  operation text,
  old_data jsonb,
  new_data jsonb,
  user_id uuid,
  "timestamp" timestamptz DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS slow_query_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  query_text text,
  execution_time interval,
  captured_at timestamptz DEFAULT current_timestamp
);
${BACKUP_LOG_DDL}
CREATE OR REPLACE VIEW performance_metrics AS
SELECT schemaname, relname, seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del
FROM pg_stat_user_tables;

-- One row once the seed has finished; a restart reuses the data when it is present.
CREATE TABLE IF NOT EXISTS demo_seed (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  scale double precision NOT NULL,
  users integer NOT NULL,
  charts integer NOT NULL,
  seeded_at timestamptz NOT NULL DEFAULT current_timestamp,
  seconds double precision NOT NULL
);
`;

/** Partitions for the twelve months before now, this month and the next one. */
export const PARTITIONS_SQL = `
DO $$
DECLARE m date;
BEGIN
  FOR m IN SELECT generate_series(date_trunc('month', current_date - interval '12 months'),
                                  date_trunc('month', current_date), interval '1 month')::date
  LOOP
    CALL create_monthly_partition(m);
  END LOOP;
  CALL create_monthly_partition();
END;
$$;
`;
