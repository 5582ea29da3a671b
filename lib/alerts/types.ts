// Shared shapes of the alert engine. Pure: no Postgres, no env; client code may import types.

export type Severity = "info" | "warning" | "critical";

export const SEVERITY_ORDER: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export const RULE_IDS = [
  "slow_query",
  "table_size",
  "index_bloat",
  "cache_hit_ratio",
  "target_down",
  "connection_saturation",
  "idle_in_transaction",
  "long_transaction",
  "blocked_sessions",
  "xid_wraparound",
  "sequence_exhaustion",
  "replication_slot_inactive",
  "backup_stale",
  "vacuum_behind",
  "replication_lag",
  "archive_failing",
  "archive_stale",
  "checkpoints_requested",
  "standby_down",
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export function isRuleId(id: string): id is RuleId {
  return (RULE_IDS as readonly string[]).includes(id);
}

/** What a config field or an API parameter naming a rule the registry lacks is told. */
export const UNKNOWN_RULE_MESSAGE = `unknown rule; known: ${RULE_IDS.join(", ")}`;

/** The states of one (rule, target, object) instance. */
export type AlertState = "inactive" | "pending" | "firing" | "resolved";

/** A rule with defaults and overrides applied, for one target. Durations in seconds. */
export interface Rule {
  id: RuleId;
  enabled: boolean;
  /** "gt": the condition holds when value > threshold; "lt": when value < threshold. */
  comparator: "gt" | "lt";
  threshold: number;
  /**
   * Hysteresis: once firing, the alert only counts as clear past this value (below it for "gt",
   * above it for "lt"). Null: the threshold itself.
   */
  clearThreshold: number | null;
  /**
   * The critical line: a firing episode whose value goes past it becomes critical (once, for the
   * rest of the episode). Null: the rule has one severity.
   */
  criticalThreshold: number | null;
  forSeconds: number;
  keepFiringForSeconds: number;
  /** The severity of an episode that stays on the near side of the critical line. */
  severity: Severity;
  labels: Record<string, string>;
  unit: "ms" | "bytes" | "percent" | "seconds" | "xid" | "up" | "count";
  /** Restricts notifications to these channel ids when set. */
  channels: string[] | null;
  minIndexBytes: number;
  windowSeconds: number;
  minBlockAccesses: number;
  summary: string;
}

/**
 * One object's reading for one rule. `value: null` means "not measurable now" (e.g. too few
 * block accesses, an unreliable estimate): the state is held, never treated as 0 or as clear.
 */
export interface Observation {
  objectKey: string;
  value: number | null;
  /**
   * The condition holds whatever the value: a state that is bad in itself (a lost replication
   * slot, a standby too many bytes behind) even when the value is under the line or unknown.
   * The text says why, in a few words; notifications show it where a value would read nothing.
   */
  forced?: string;
  labels: Record<string, string>;
  details: Record<string, unknown>;
}

/** What evaluate() remembers per instance. Times are epoch milliseconds. */
export interface InstanceState {
  state: AlertState;
  /** Start of the current pending/firing episode (condition first true). */
  since: number | null;
  firedAt: number | null;
  resolvedAt: number | null;
  /** Last evaluation at which the condition held; keepFiringFor counts from here. */
  lastBadAt: number | null;
  value: number | null;
  /** The episode's severity once firing: only ever rises (see evaluate.ts); null before. */
  severity: Severity | null;
}

/**
 * One step of an episode. `firing → firing` is an escalation: the value crossed the critical
 * line, `severity` says to what.
 */
export interface Transition {
  from: AlertState;
  to: AlertState;
  at: number;
  value: number | null;
  /** Set on the steps that reach (or escalate) `firing`: the severity notified. */
  severity?: Severity;
}

export const INACTIVE: InstanceState = { state: "inactive", since: null, firedAt: null, resolvedAt: null, lastBadAt: null, value: null, severity: null };
