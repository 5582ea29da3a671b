// The series the API serves and the unit of each, free of zod so the browser can import them;
// the series contract is lib/api/series.ts.

export const SERIES_METRICS = [
  "tps",
  "commits_per_second",
  "rollbacks_per_second",
  "cache_hit_ratio",
  "connections_total",
  "connections_active",
  "connections_idle_in_transaction",
  "connections_waiting_lock",
  "longest_query_seconds",
  "deadlocks_per_second",
  "rows_inserted_per_second",
  "rows_updated_per_second",
  "rows_deleted_per_second",
  "database_size_bytes",
  "slow_queries_per_minute",
  "connection_saturation",
  "replay_lag_seconds",
  "replay_bytes_behind",
  "standby_replay_delay_seconds",
  "wal_bytes_per_second",
] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];

export const SERIES_UNIT_NAMES = ["per_second", "percent", "count", "seconds", "bytes", "per_minute", "ratio", "bytes_per_second"] as const;
export type SeriesUnit = (typeof SERIES_UNIT_NAMES)[number];

/** The unit each metric is served in; cache_hit_ratio is a percent (0–100), saturation 0–1. */
export const SERIES_UNITS: Record<SeriesMetric, SeriesUnit> = {
  tps: "per_second",
  commits_per_second: "per_second",
  rollbacks_per_second: "per_second",
  cache_hit_ratio: "percent",
  connections_total: "count",
  connections_active: "count",
  connections_idle_in_transaction: "count",
  connections_waiting_lock: "count",
  longest_query_seconds: "seconds",
  deadlocks_per_second: "per_second",
  rows_inserted_per_second: "per_second",
  rows_updated_per_second: "per_second",
  rows_deleted_per_second: "per_second",
  database_size_bytes: "bytes",
  slow_queries_per_minute: "per_minute",
  connection_saturation: "ratio",
  replay_lag_seconds: "seconds",
  replay_bytes_behind: "bytes",
  standby_replay_delay_seconds: "seconds",
  wal_bytes_per_second: "bytes_per_second",
};
