// pgpulse.column_stats(): the three pg_stats columns the bloat estimate needs, readable by the
// monitoring role for tables it cannot SELECT (pg_stats hides those rows from it).
//
// SECURITY DEFINER runs it with the owner's rights; search_path is pinned so no object in a
// schema the caller controls can stand in for a catalog object. pg_stats also lists the
// statistics of expression-index columns under the index name (pg_statistic.starelid = index).
// Where a table has both plain and inheritance statistics (a parent with children), the plain
// row wins, so each (schema, table, column) appears once.

export const COLUMN_STATS_FUNCTION = "pgpulse.column_stats()";

export const COLUMN_STATS_SQL = `
CREATE FUNCTION pgpulse.column_stats()
RETURNS TABLE (schemaname name, tablename name, attname name, null_frac real, avg_width integer, n_distinct real)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
  -- The marker keeps this nested statement out of the slow-statement lists (pg_stat_statements).
  SELECT /* pgpulse */ DISTINCT ON (s.schemaname, s.tablename, s.attname)
         s.schemaname, s.tablename, s.attname, s.null_frac, s.avg_width, s.n_distinct
  FROM pg_catalog.pg_stats s
  WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema')
  ORDER BY s.schemaname, s.tablename, s.attname, s.inherited
$fn$`;
