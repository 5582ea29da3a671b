import type { z } from "zod";

// A metric group is data: one file per group in ./definitions. Adding a metric is adding a file.

export type MetricScope = "cluster" | "database";

/** What a metric needs on the target; checked against the capability map before it runs. */
export interface MetricRequirements {
  /** Extensions that must be installed in the target database, e.g. "pg_stat_statements". */
  extensions?: string[];
  /** Objects the guidelines define, e.g. "performance_metrics", "slow_query_log". */
  objects?: string[];
  /** Roles the monitoring user must have (directly or inherited), e.g. "pg_read_all_stats". */
  roles?: string[];
}

export interface MetricDefinition<Row extends Record<string, unknown> = Record<string, unknown>> {
  id: string; // snake_case, Postgres vocabulary: db_stats, stat_activity, index_bloat
  description: string;
  scope: MetricScope;
  intervalMs: number;
  timeoutMs: number;
  /** SQL keyed by the minimum server_version_num it needs; the nearest lower key is used. */
  sql: Record<number, string>;
  requires?: MetricRequirements;
  row: z.ZodType<Row>;
  /** Columns that identify a row (datname, schemaname/relname, ...). */
  labels: readonly (keyof Row & string)[];
  /** Cumulative counters: stored raw, rates computed on read. */
  counters: readonly (keyof Row & string)[];
  /** Point-in-time values. */
  gauges: readonly (keyof Row & string)[];
  /** How rows become series; default: one series per row label set and counter/gauge column. */
  toSeries?: (rows: Row[]) => SeriesValue[];
  /** Keep whole rows as low-cadence snapshots (tables, indexes) besides the series. */
  snapshot?: boolean;
}

/** The outcome of one run of one metric against one target. */
export type MetricResult =
  | { status: "ok"; metric: string; targetId: string; ts: Date; durationMs: number; rows: Record<string, unknown>[] }
  | { status: "unavailable"; metric: string; targetId: string; ts: Date; reason: string }
  | { status: "error"; metric: string; targetId: string; ts: Date; durationMs: number; error: string; code?: string };

/** One numeric value derived from a metric's rows, stored as a time series. */
export interface SeriesValue {
  /** `${metricId}.${column}` by default, e.g. "db_stats.xact_commit". */
  name: string;
  labels: Record<string, string>;
  value: number | null;
  kind: "counter" | "gauge";
}
