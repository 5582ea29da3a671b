import type { z } from "zod";
import type { ServerRole, TaskRun } from "@/lib/collector/types";

// A metric group is data: one file per group in ./definitions, written with defineMetric and
// listed once in ./catalog.ts. The collector's tasks, the stored series and the cadences the
// pages judge freshness by all derive from that list.

export type MetricScope = "cluster" | "database";

/**
 * Which of the collector's two connections runs the metric: "live" for short catalog and stats
 * reads on a seconds cadence, "bulk" for anything that can be slow (sizes, scans). A slow bulk
 * query never delays the live view.
 */
export type MetricLane = "live" | "bulk";

/** What a metric needs on the target; checked against the capability map before it runs. */
export interface MetricRequirements {
  /** Extensions that must be installed in the target database, e.g. "pg_stat_statements". */
  extensions?: string[];
  /** Objects the guidelines define, e.g. "performance_metrics", "slow_query_log". */
  objects?: string[];
  /** Roles the monitoring user must have (directly or inherited), e.g. "pg_read_all_stats". */
  roles?: string[];
  /** Replication views answer on one side only (pg_stat_replication is empty on a standby). */
  role?: ServerRole;
}

/** A metric as its file writes it, typed by its row; defineMetric turns it into a MetricDefinition. */
export interface MetricSpec<Row extends Record<string, unknown>> {
  id: string; // snake_case, Postgres vocabulary: db_stats, stat_activity, index_bloat
  description: string;
  scope: MetricScope;
  lane: MetricLane;
  /** The default cadence; PGPULSE_INTERVALS may override it per id (lib/collector/schedule.ts). */
  intervalMs: number;
  timeoutMs: number;
  /** SQL keyed by the minimum server_version_num it needs; the nearest lower key is used. */
  sql: Record<number, string>;
  requires?: MetricRequirements;
  row: z.ZodType<Row>;
  /**
   * Rows carry a backend `pid`: those of pgpulse's own sessions (lib/db/own-sessions.ts) are
   * dropped as they are read, so no series, alert, snapshot or page ever counts them.
   */
  hidesOwnSessions?: boolean;
  /** Columns that identify a row (datname, schemaname/relname, ...). */
  labels: readonly (keyof Row & string)[];
  /** Cumulative counters: stored raw, rates computed on read. */
  counters: readonly (keyof Row & string)[];
  /** Point-in-time values. */
  gauges: readonly (keyof Row & string)[];
  /** How rows become series; default: one series per row label set and counter/gauge column. */
  toSeries?: (rows: Row[]) => SeriesValue[];
  /** Keep whole rows in the store's row history (tables, indexes) besides the series. */
  rowHistory?: boolean;
  /** Its series are few and bounded (no per-object labels): exposed to Prometheus on /api/metrics. */
  exposed?: boolean;
  /**
   * Collection that needs more than runMetric on this definition (a cursor, deltas, a second
   * measurement, SQL chosen by capabilities). Called once per target; state lives in its closure.
   */
  task?: () => TaskRun;
}

/** A metric with its row type erased: what lists, the collector and the store hold. */
export type MetricDefinition = MetricSpec<Record<string, unknown>>;

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
