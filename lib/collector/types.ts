import type { MetricLane, MetricResult, MetricScope } from "@/lib/metrics/types";

/** Whether the target accepts writes or replays WAL from another server (`pg_is_in_recovery()`). */
export type ServerRole = "primary" | "standby";

/** What the collector knows of a target, re-checked periodically (the `server` metric). */
export interface Capabilities {
  serverVersionNum: number;
  serverVersion: string;
  database: string;
  user: string;
  isSuperuser: boolean;
  /** Re-read on every probe: a failover or a promotion flips it without a restart of either side. */
  role: ServerRole;
  /** pg_control_system().system_identifier: a primary and its physical standbys share it. */
  systemIdentifier: string | null;
  /** Installed extensions in the target database: name → { version, schema }. */
  extensions: Record<string, { version: string; schema: string }>;
  /** Roles the monitoring user is a member of (pg_monitor, pg_read_all_stats, ...). */
  roles: string[];
  /** Guideline objects present: performance_metrics, slow_query_log, backup_log, pgpulse_column_stats. */
  objects: Record<string, boolean>;
  settings: Record<string, string>;
  checkedAt: Date;
}

/** Whether a target answers, and since when: the part of a snapshot health is made of. */
export interface TargetState {
  targetId: string;
  up: boolean;
  /** When the target was first seen down in the current outage. */
  downSince: Date | null;
  lastError: string | null;
  lastSampleAt: Date | null;
  capabilities: Capabilities | null;
}

/** In-memory latest state of one target: what route handlers read instead of the target. */
export interface TargetSnapshot extends TargetState {
  /** Latest result per metric id; an error never replaces the last ok result (kept as stale data). */
  metrics: Record<string, MetricResult>;
  /** Scheduling figures per task (runs, overruns, last duration). */
  tasks?: Record<string, TaskStats>;
}

export interface TaskStats {
  runs: number;
  /** Ticks skipped because the previous run of the same task had not finished. */
  overruns: number;
  lastStatus: MetricResult["status"] | null;
  lastDurationMs: number | null;
  lastRunAt: Date | null;
}

/** Where the collector sends every result (the history store and the alert engine implement it). */
export interface SampleSink {
  accept(result: MetricResult): void;
}

/** What a collection task gets: the target's monitoring pool and what is known of it. */
export interface TaskContext {
  pool: import("pg").Pool;
  caps: Capabilities;
  targetId: string;
  thresholds: import("@/lib/config/schema").Thresholds;
  now: () => Date;
}

/**
 * One scheduled unit of collection, one per metric definition (lib/collector/definition-tasks.ts).
 * Most run the definition with runMetric; stateful ones (slow queries with a cursor and
 * per-window deltas, bloat with exact confirmation) keep their state in the closure of the
 * definition's task factory, one instance per target.
 */
export interface CollectorTask {
  id: string;
  intervalMs: number;
  /** Which of the collector's two connections the task uses (default "bulk"). */
  lane?: MetricLane;
  /** "cluster": a server-wide read, shared by the targets on one server (server-share.ts). */
  scope?: MetricScope;
  /** Longest a run may take (its statement timeout); the collector's watchdog allows a margin. */
  timeoutMs?: number;
  run(ctx: TaskContext): Promise<MetricResult>;
}

/** What a definition's task factory makes: how to run it, and a bound when that is not its statement timeout. */
export type TaskRun = Pick<CollectorTask, "run" | "timeoutMs">;
