import { z } from "zod";
import { defineMetric } from "../define";

// How much of its range each sequence has used. The limit that bites first is the smaller of the
// sequence's own max_value and the type of the column it feeds: an int4 column fed by a bigint
// sequence (the usual serial → bigint migration half done) fails at 2^31-1 while the sequence
// still reads 0.0001 %. The owning column comes from pg_depend: 'a' for serial / OWNED BY,
// 'i' for identity columns; a sequence used only through a DEFAULT, never OWNED BY, has none.
//
// Values up to 2^63 do not fit a JS number exactly: last_value and the limit travel as text,
// and the percentage is computed here in numeric. A descending sequence (negative increment)
// runs toward its min_value, so its share is last_value / min.
//
// pg_sequences.last_value is NULL both for a sequence never called and for one the monitoring
// role may not read (pg_monitor is not enough: it needs SELECT or USAGE on the sequence, or
// pg_read_all_data on 14+); last_value_unavailable says which.

const SQL = `/* pgpulse */
WITH s AS (
  SELECT s.schemaname::text AS schemaname, s.sequencename::text AS sequencename,
         s.data_type::text AS data_type, s.min_value, s.max_value, s.increment_by, s.cycle, s.last_value,
         has_sequence_privilege(c.oid, 'SELECT,USAGE') AS readable,
         CASE WHEN a.attnum IS NOT NULL THEN tn.nspname::text || '.' || tc.relname::text || '.' || a.attname::text END AS column_name,
         format_type(a.atttypid, a.atttypmod) AS column_type,
         CASE a.atttypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647
                         WHEN 'int8'::regtype THEN 9223372036854775807 END::numeric AS column_max,
         CASE a.atttypid WHEN 'int2'::regtype THEN -32768 WHEN 'int4'::regtype THEN -2147483648
                         WHEN 'int8'::regtype THEN -9223372036854775808 END::numeric AS column_min
  FROM pg_sequences s
  JOIN pg_namespace n ON n.nspname = s.schemaname
  JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename AND c.relkind = 'S'
  LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
       AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
  LEFT JOIN pg_class tc ON tc.oid = d.refobjid
  LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
  WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema', 'pgpulse')
), l AS (
  SELECT s.*,
         CASE WHEN s.increment_by > 0 THEN least(s.max_value::numeric, s.column_max)
              ELSE greatest(s.min_value::numeric, s.column_min) END AS limit_value
  FROM s
)
SELECT schemaname, sequencename, data_type, column_name, column_type, cycle,
       increment_by::text AS increment_by, last_value::text AS last_value, limit_value::text AS limit_value,
       (last_value::numeric * 100 / nullif(limit_value, 0))::float8 AS percent_used,
       CASE WHEN NOT readable THEN 'no_privilege' WHEN last_value IS NULL THEN 'never_called' END AS last_value_unavailable
FROM l
ORDER BY percent_used DESC NULLS LAST, schemaname, sequencename`;

/** An int8/numeric value carried as its decimal text. */
const bigText = z.string().regex(/^-?\d+$/);

const row = z.object({
  schemaname: z.string(),
  sequencename: z.string(),
  /** smallint, integer or bigint. */
  data_type: z.string(),
  /** "schema.table.column" the sequence is owned by (serial, identity, OWNED BY), or null. */
  column_name: z.string().nullable(),
  column_type: z.string().nullable(),
  cycle: z.boolean(),
  increment_by: bigText,
  /** Null when never called or not readable (see last_value_unavailable). */
  last_value: bigText.nullable(),
  /** The bound reached first: min(max_value, column type max), or the min side when descending. */
  limit_value: bigText,
  /** last_value / limit_value × 100; null with last_value. */
  percent_used: z.number().nullable(),
  last_value_unavailable: z.enum(["no_privilege", "never_called"]).nullable(),
});

export type SequencesRow = z.infer<typeof row>;

export const sequences = defineMetric<SequencesRow>({
  id: "sequences",
  description: "Each sequence's last value against the limit of its type and of the column it feeds",
  scope: "database",
  lane: "bulk",
  intervalMs: 5 * 60_000,
  timeoutMs: 10_000,
  sql: { 130000: SQL },
  row,
  labels: ["schemaname", "sequencename"],
  counters: [],
  gauges: ["percent_used"],
  // Kept as row history so the maintenance view has figures after a restart too.
  rowHistory: true,
});
