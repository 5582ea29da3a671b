import { z } from "zod";
import { estimateBtreeBloat, type BtreeColumn } from "@/lib/analysis/bloat";
import { createIndexBloatTask } from "@/lib/collector/tasks/index-bloat";
import type { Capabilities } from "@/lib/collector/types";
import { defineMetric } from "../define";
import type { MetricDefinition, MetricSpec, SeriesValue } from "../types";

// Btree bloat estimated from statistics: catalog-only (no lock on any index, 42–474 ms at
// 2,000–10,000 indexes), so it can cover every index. The SQL gathers the inputs; the
// arithmetic is lib/analysis/bloat.ts. Column statistics come from pgpulse.column_stats() when
// setup installed it: a pg_monitor role sees no pg_stats rows for tables it cannot SELECT.
// The exact pgstatindex() confirmation is the task in lib/collector/tasks/index-bloat.ts.

const FROM_PG_STATS = `SELECT schemaname::text, tablename::text, attname::text, null_frac::float8,
         avg_width::int, n_distinct::float8
  FROM pg_stats WHERE NOT inherited`;
const FROM_COLUMN_STATS = `SELECT schemaname::text, tablename::text, attname::text, null_frac::float8,
         avg_width::int, n_distinct::float8
  FROM pgpulse.column_stats()`;

function sql(columnStats: string): string {
  return `/* pgpulse */
WITH cs AS (
  ${columnStats}
),
idx AS (
  SELECT x.indexrelid, x.indrelid, n.nspname::text AS schemaname, t.relname::text AS tablename,
         i.relname::text AS indexname, i.reltuples::float8 AS reltuples, i.relpages::bigint AS relpages,
         i.reloptions, x.indisunique, x.indnatts, x.indnkeyatts, x.indkey, x.indclass
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = i.relnamespace
  JOIN pg_am am ON am.oid = i.relam
  WHERE am.amname = 'btree' AND i.relkind = 'i' AND x.indisvalid AND x.indisready
    AND i.relpersistence <> 't'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
),
-- idx's columns ride along in cols, and the final SELECT groups cols alone: joining idx back
-- to cols, with both row counts underestimated, made the planner nest loops (n² at n indexes).
cols AS (
  SELECT idx.indexrelid, idx.schemaname, idx.tablename, idx.indexname, idx.reltuples, idx.relpages,
         idx.reloptions, idx.indisunique, idx.indnatts, idx.indnkeyatts,
         k.ord, k.attnum, ty.typlen, ty.typalign::text AS typalign,
         k.ord <= idx.indnkeyatts AS is_key,
         -- Deduplication needs an "equal image" support function (btequalimage, PG 13+).
         EXISTS (
           SELECT 1 FROM pg_opclass oc
           JOIN pg_amproc ap ON ap.amprocfamily = oc.opcfamily AND ap.amprocnum = 4
            AND ap.amproclefttype = oc.opcintype AND ap.amprocrighttype = oc.opcintype
           WHERE oc.oid = (idx.indclass::oid[])[k.ord - 1]
         ) AS equalimage,
         s.null_frac, s.avg_width, s.n_distinct
  FROM idx
  CROSS JOIN LATERAL unnest(idx.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
  JOIN pg_attribute ia ON ia.attrelid = idx.indexrelid AND ia.attnum = k.ord
  JOIN pg_type ty ON ty.oid = ia.atttypid
  LEFT JOIN pg_attribute ta ON ta.attrelid = idx.indrelid AND ta.attnum = k.attnum AND k.attnum > 0
  -- Expression columns' statistics live under the index (pg_statistic.starelid = the index).
  LEFT JOIN cs s ON s.schemaname = idx.schemaname
   AND s.tablename = CASE WHEN k.attnum > 0 THEN idx.tablename ELSE idx.indexname END
   AND s.attname = CASE WHEN k.attnum > 0 THEN ta.attname::text ELSE ia.attname::text END
)
SELECT c.indexrelid::bigint AS indexrelid, c.schemaname, c.tablename, c.indexname,
       c.reltuples, c.relpages,
       current_setting('block_size')::int AS block_size,
       current_setting('server_version_num')::int AS server_version_num,
       coalesce((SELECT substring(o FROM '^fillfactor=([0-9]+)$')::int
                 FROM unnest(c.reloptions) o WHERE o LIKE 'fillfactor=%'), 90) AS fillfactor,
       c.indisunique AS is_unique,
       c.indnatts = c.indnkeyatts
         AND NOT coalesce(c.reloptions::text[] && ARRAY['deduplicate_items=off', 'deduplicate_items=false'], false)
         AND bool_and(c.equalimage) FILTER (WHERE c.is_key) AS dedup_allowed,
       json_agg(json_build_object(
         'attlen', c.typlen, 'attalign', c.typalign, 'avgWidth', c.avg_width, 'nullFrac', c.null_frac,
         'nDistinct', c.n_distinct, 'expression', c.attnum = 0, 'key', c.is_key) ORDER BY c.ord) AS columns
FROM cols c
GROUP BY c.indexrelid, c.schemaname, c.tablename, c.indexname, c.reltuples, c.relpages,
         c.reloptions, c.indisunique, c.indnatts, c.indnkeyatts
ORDER BY c.schemaname, c.tablename, c.indexname`;
}

// A version of everything the estimate reads: each btree index's catalog rows (any DDL, rename
// or rebuild writes a new row version), its pages and tuples (VACUUM, ANALYZE and CREATE INDEX
// update them in place), and its table's ANALYZE count (new column statistics). While it
// stands, the estimate would come out the same, and the task keeps the last one. Over the
// estimate's own indexes only: autovacuum of the system catalogs must not count as a change.
export const INDEX_BLOAT_INPUTS_SQL = `/* pgpulse */
SELECT coalesce(md5(string_agg(concat_ws(':', x.indexrelid, i.xmin, x.xmin, t.xmin, n.xmin, i.relpages, i.reltuples,
         t.relpages, t.reltuples, pg_stat_get_analyze_count(x.indrelid) + pg_stat_get_autoanalyze_count(x.indrelid)),
       ',' ORDER BY x.indexrelid)), '') AS version
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = i.relnamespace
JOIN pg_am am ON am.oid = i.relam
WHERE am.amname = 'btree' AND i.relkind = 'i' AND i.relpersistence <> 't'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'`;

export const indexBloatInputsRow = z.object({ version: z.string() });

const column = z.object({
  attlen: z.number().int(),
  attalign: z.enum(["c", "s", "i", "d"]),
  avgWidth: z.number().nullable(),
  nullFrac: z.number().nullable(),
  nDistinct: z.number().nullable(),
  expression: z.boolean(),
  key: z.boolean(),
}) satisfies z.ZodType<BtreeColumn>;

const input = z.object({
  indexrelid: z.number().int(),
  schemaname: z.string(),
  tablename: z.string(),
  indexname: z.string(),
  reltuples: z.number(),
  relpages: z.number().int(),
  block_size: z.number().int().positive(),
  server_version_num: z.number().int(),
  fillfactor: z.number().int().min(10).max(100),
  is_unique: z.boolean(),
  dedup_allowed: z.boolean().nullable(),
  columns: z.array(column),
});

export type BloatSource = "estimate" | "exact";

export interface IndexBloatRow extends Record<string, unknown> {
  indexrelid: number;
  schemaname: string;
  tablename: string;
  indexname: string;
  /** relpages × block_size: as of the last VACUUM/ANALYZE, like the estimate itself. */
  index_bytes: number;
  fillfactor: number;
  block_size: number;
  bloat_percent: number | null;
  estimated_bytes_wasted: number | null;
  /** The statistics-based figure, kept when an exact one replaces bloat_percent. */
  estimate_bloat_percent: number | null;
  reliable: boolean;
  /** Why the estimate is not trusted, or why there is none (never_analysed, missing_statistics). */
  unreliable_reason: string | null;
  bloat_source: BloatSource;
}

const row = input.transform((r): IndexBloatRow => {
  const base = {
    indexrelid: r.indexrelid,
    schemaname: r.schemaname,
    tablename: r.tablename,
    indexname: r.indexname,
    index_bytes: r.relpages * r.block_size,
    fillfactor: r.fillfactor,
    block_size: r.block_size,
    bloat_source: "estimate" as const,
  };
  const est = estimateBtreeBloat({
    serverVersionNum: r.server_version_num,
    reltuples: r.reltuples,
    relpages: r.relpages,
    blockSize: r.block_size,
    fillfactor: r.fillfactor,
    unique: r.is_unique,
    dedupAllowed: r.dedup_allowed ?? false,
    columns: r.columns,
  });
  if (!est) {
    const unknownRows = r.reltuples < 0 || (r.reltuples === 0 && r.server_version_num < 140000);
    return {
      ...base,
      bloat_percent: null,
      estimated_bytes_wasted: null,
      estimate_bloat_percent: null,
      reliable: false,
      unreliable_reason: unknownRows ? "never_analysed" : "missing_statistics",
    };
  }
  const pct = Math.round(est.bloatPercent * 10) / 10;
  return {
    ...base,
    bloat_percent: pct,
    estimated_bytes_wasted: est.wastedBytes,
    estimate_bloat_percent: pct,
    reliable: est.reliable,
    unreliable_reason: est.unreliableReason,
  };
});

const LABELS = ["schemaname", "tablename", "indexname"] as const;

const spec: MetricSpec<IndexBloatRow> = {
  id: "index_bloat",
  description: "Btree bloat per index: statistics-based estimate, confirmed with pgstatindex where it matters",
  scope: "database",
  lane: "bulk",
  intervalMs: 10 * 60_000,
  timeoutMs: 30_000,
  sql: { 130000: sql(FROM_PG_STATS) },
  row,
  labels: LABELS,
  counters: [],
  gauges: ["bloat_percent", "estimated_bytes_wasted", "index_bytes"],
  rowHistory: true,
  // An unreliable estimate is not a measurement: its series point is a gap, never a number
  // an alert could fire on. The snapshot row keeps it, with the reason.
  toSeries: (rows) =>
    rows.flatMap((r): SeriesValue[] => {
      const labels = { schemaname: r.schemaname, tablename: r.tablename, indexname: r.indexname };
      const trusted = r.reliable && r.bloat_percent !== null;
      return [
        { name: "index_bloat.bloat_percent", labels, value: trusted ? r.bloat_percent : null, kind: "gauge" },
        { name: "index_bloat.estimated_bytes_wasted", labels, value: trusted ? r.estimated_bytes_wasted : null, kind: "gauge" },
        { name: "index_bloat.index_bytes", labels, value: r.index_bytes, kind: "gauge" },
      ];
    }),
  task: () => createIndexBloatTask(),
};

export const indexBloat = defineMetric(spec);
const fromColumnStats = defineMetric({ ...spec, sql: { 130000: sql(FROM_COLUMN_STATS) } });

/** The definition reading pgpulse.column_stats() when setup installed it, else pg_stats. */
export function indexBloatFor(caps: Capabilities): MetricDefinition {
  return caps.objects.pgpulse_column_stats ? fromColumnStats : indexBloat;
}
