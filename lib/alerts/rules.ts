import type { PgpulseConfig, Thresholds } from "@/lib/config/schema";
import { RULE_IDS, type Rule, type RuleId, type Severity } from "./types";

// Rule defaults, and how config overrides apply. Precedence, least to most specific:
// default → global `thresholds` → global `rules[id]` → target `thresholds` → target `rules[id]`.

const MB = 1024 ** 2;
const GB = 1024 ** 3;

interface RuleDefault {
  comparator: Rule["comparator"];
  /** The default line; rules tied to a guideline threshold read it from `thresholds`. */
  threshold: number;
  thresholdKey?: keyof Thresholds;
  /** Hysteresis line as a function of the threshold, so an overridden threshold moves it too. */
  clear: ((threshold: number) => number) | null;
  /** Where an episode turns critical; absent: one severity (see evaluate.ts). */
  critical?: number;
  forSeconds: number;
  keepFiringForSeconds: number;
  severity: Severity;
  unit: Rule["unit"];
  summary: string;
  /** What to do first, one line, shown on the settings page and in the alert detail. */
  hint: string;
  /** The rule's own default for `windowSeconds`, where the shared one does not fit. */
  windowSeconds?: number;
}

export const RULE_DEFAULTS: Record<RuleId, RuleDefault> = {
  // A slow statement is an occurrence, not a level: fire at once, resolve after 10 quiet minutes.
  slow_query: { comparator: "gt", threshold: 1000, thresholdKey: "queryTimeMs", clear: null, forSeconds: 0, keepFiringForSeconds: 600, severity: "warning", unit: "ms", summary: "Query slower than the threshold",
    hint: "Open the query on the Queries page, run EXPLAIN, and look for a sequential scan that an index or a narrower WHERE would avoid" },
  // Sizes move slowly and are sampled every few minutes; 5 % below the line avoids flapping.
  table_size: { comparator: "gt", threshold: 10 * 1024 ** 3, thresholdKey: "tableSizeBytes", clear: (t) => t * 0.95, forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "bytes", summary: "Table larger than the threshold",
    hint: "Check the table's growth on the Tables page; partition it by time or archive old rows before it outgrows its disk and its maintenance window" },
  index_bloat: { comparator: "gt", threshold: 30, thresholdKey: "indexBloatPercent", clear: (t) => Math.max(0, t - 5), forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "percent", summary: "Index bloat above the threshold",
    hint: "Rebuild it with REINDEX INDEX CONCURRENTLY (the Tables page has the statement); it takes no lock that blocks writes" },
  // The ratio is already a 5-minute window; resolve only 2 points above the line.
  cache_hit_ratio: { comparator: "lt", threshold: 90, thresholdKey: "cacheHitRatioPercent", clear: (t) => Math.min(100, t + 2), forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "percent", summary: "Cache hit ratio below the threshold",
    hint: "Find the statements reading the most blocks on the Queries page; a missing index or a full scan of a large table is the usual cause, shared_buffers the last resort" },
  // One failed poll is not an outage: 30 s of up = 0 before paging.
  target_down: { comparator: "lt", threshold: 1, clear: null, forSeconds: 30, keepFiringForSeconds: 0, severity: "critical", unit: "up", summary: "Target unreachable",
    hint: "Check that the server runs and accepts connections (pg_isready), then its log; the alert's detail says whether the connection was refused, timed out or failed to authenticate" },
  // Past 95 % the next burst is refused with "too many clients": critical.
  connection_saturation: { comparator: "gt", threshold: 80, clear: (t) => Math.max(0, t - 5), critical: 95, forSeconds: 60, keepFiringForSeconds: 0, severity: "warning", unit: "percent", summary: "Connections close to the usable limit",
    hint: "Look for idle sessions on the Live page and for an application pool larger than it should be; put a pooler (PgBouncer) in front before raising max_connections" },
  idle_in_transaction: { comparator: "gt", threshold: 300, clear: null, forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "seconds", summary: "Session idle in transaction",
    hint: "Find the application holding the transaction open (Live page: user, application, last statement); terminate the backend if it is stuck, and set idle_in_transaction_session_timeout" },
  long_transaction: { comparator: "gt", threshold: 900, clear: null, forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "seconds", summary: "Long-running transaction",
    hint: "Check on the Live page whether the transaction still does work; a long one holds back VACUUM everywhere, so cancel it if it is not expected to run this long" },
  // Value: the longest lock wait among waiting sessions, in seconds; the count is in details.
  blocked_sessions: { comparator: "gt", threshold: 60, clear: null, forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "seconds", summary: "Sessions waiting on a lock",
    hint: "Find the blocking session at the head of the chain on the Live page and end its transaction (commit, cancel or terminate), not the sessions waiting behind it" },
  // VACUUM FREEZE drops the age by far more than 100 M, so the clear line never delays a real fix;
  // a threshold set below 1 billion clears 10 % under it (a fixed 100 M would never be reached).
  xid_wraparound: { comparator: "gt", threshold: 1_500_000_000, clear: (t) => Math.max(t - 100_000_000, t * 0.9), forSeconds: 0, keepFiringForSeconds: 0, severity: "critical", unit: "xid", summary: "Transaction ID age close to wraparound",
    hint: "Run VACUUM (FREEZE) on the database's oldest tables (age(relfrozenxid)) after ending long transactions and dropping stale replication slots that hold the horizon back" },
  // Sequences only move up; ALTER SEQUENCE / a bigint column is the fix, so no clear line. Past
  // 90 % the remaining range may last days on a busy table: critical.
  sequence_exhaustion: { comparator: "gt", threshold: 75, clear: null, critical: 90, forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "percent", summary: "Sequence close to the limit of its type or column",
    hint: "Move the column and the sequence to bigint (ALTER TABLE … TYPE bigint, ALTER SEQUENCE … AS bigint) before it runs out" },
  // A standby reconnecting leaves its slot inactive for seconds: 60 s before it counts. A slot
  // whose WAL is "unreserved" or "lost" fires whatever its size (inputs/replication.ts).
  replication_slot_inactive: { comparator: "gt", threshold: 5 * GB, clear: null, forSeconds: 60, keepFiringForSeconds: 0, severity: "warning", unit: "bytes", summary: "Inactive replication slot holding WAL back",
    hint: "Reconnect the slot's consumer, or drop the slot with pg_drop_replication_slot() if it is abandoned" },
  // A nightly backup with 2 h of slack for a slow run; two missed nights (50 h) is critical.
  backup_stale: { comparator: "gt", threshold: 26 * 3600, clear: null, critical: 50 * 3600, forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "seconds", summary: "No successful backup within the threshold",
    hint: "Check the backup job's last run and its log, then take a backup" },
  // windowSeconds: how long without a VACUUM or autovacuum before dead tuples count as behind.
  vacuum_behind: { comparator: "gt", threshold: 20, clear: (t) => Math.max(0, t - 5), forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "percent", summary: "Dead tuples piling up with no vacuum", windowSeconds: 3600,
    hint: "Look for long transactions holding back the xmin horizon, then VACUUM the table; tune its autovacuum settings if it recurs" },
  // A bulk load spikes the lag for a moment: 60 s above the line before it counts. Also fires
  // more than 1 GB behind. Five minutes behind, a failover would lose or wait for that much.
  replication_lag: { comparator: "gt", threshold: 60, clear: null, critical: 300, forSeconds: 60, keepFiringForSeconds: 0, severity: "warning", unit: "seconds", summary: "Standby replaying behind the primary",
    hint: "Check the standby's disk, CPU and network, and queries on it delaying replay" },
  // Value: archive_command failures over the window (10 min: the archiver retries about once a
  // minute, so shorter windows can miss a still-failing command), 0 once a segment archived.
  archive_failing: { comparator: "gt", threshold: 0, clear: null, forSeconds: 0, keepFiringForSeconds: 0, severity: "critical", unit: "count", summary: "WAL archiving failing", windowSeconds: 600,
    hint: "Read the server log for the archive_command error and fix the destination before pg_wal fills the disk" },
  // Value: seconds since the last segment was archived, while a completed segment waits
  // (inputs/archive-stale.ts). 15 min is far past one archive_command run; an hour without an
  // archive is an hour of changes a restore would lose: critical.
  archive_stale: { comparator: "gt", threshold: 900, clear: null, critical: 3600, forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "seconds", summary: "WAL written but nothing archived",
    hint: "Find why archive_command does not finish (its error in the server log, or a run hung on a full or unreachable destination); until it archives, point-in-time recovery stops at the last archived segment" },
  // A tuning matter, not an outage: info. Over an hour, so one manual CHECKPOINT or a nightly
  // base backup does not tip it.
  checkpoints_requested: { comparator: "gt", threshold: 50, clear: (t) => Math.max(0, t - 10), forSeconds: 0, keepFiringForSeconds: 0, severity: "info", unit: "percent", summary: "Most checkpoints requested, not timed", windowSeconds: 3600,
    hint: "Raise max_wal_size so checkpoints come from checkpoint_timeout" },
  // A WAL receiver reconnects within seconds after a primary restart or a network blip: 60 s.
  standby_down: { comparator: "lt", threshold: 1, clear: null, forSeconds: 60, keepFiringForSeconds: 0, severity: "warning", unit: "up", summary: "Standby not streaming from its primary",
    hint: "Check primary_conninfo, the network to the primary, and the standby's log for WAL receiver errors" },
};

const DEFAULT_MIN_INDEX_BYTES = 10 * MB;
const DEFAULT_WINDOW_SECONDS = 300;
const DEFAULT_MIN_BLOCK_ACCESSES = 1000;

type Override = NonNullable<PgpulseConfig["rules"][string]>;

/** One rule for one target (or the global view when the target is unknown). */
export function resolveRule(id: RuleId, config: Pick<PgpulseConfig, "thresholds" | "rules" | "targets">, targetId?: string): Rule {
  const d = RULE_DEFAULTS[id];
  const target = targetId ? config.targets.find((t) => t.id === targetId) : undefined;
  const layers: Array<{ thresholds?: Partial<Thresholds>; rule?: Override }> = [
    { thresholds: config.thresholds, rule: config.rules[id] },
    { thresholds: target?.thresholds, rule: target?.rules?.[id] },
  ];
  let threshold = d.threshold;
  let clearThreshold: number | null = null;
  let criticalThreshold: number | null = d.critical ?? null;
  const rule: Rule = {
    id,
    enabled: true,
    comparator: d.comparator,
    threshold,
    clearThreshold: null,
    criticalThreshold,
    forSeconds: d.forSeconds,
    keepFiringForSeconds: d.keepFiringForSeconds,
    severity: d.severity,
    labels: {},
    unit: d.unit,
    channels: null,
    minIndexBytes: DEFAULT_MIN_INDEX_BYTES,
    windowSeconds: d.windowSeconds ?? DEFAULT_WINDOW_SECONDS,
    minBlockAccesses: DEFAULT_MIN_BLOCK_ACCESSES,
    summary: d.summary,
  };
  for (const layer of layers) {
    const fromThresholds = d.thresholdKey ? layer.thresholds?.[d.thresholdKey] : undefined;
    if (fromThresholds !== undefined) threshold = fromThresholds;
    const o = layer.rule;
    if (!o) continue;
    if (o.threshold !== undefined) threshold = o.threshold;
    if (o.clearThreshold !== undefined) clearThreshold = o.clearThreshold;
    if (o.criticalThreshold !== undefined) criticalThreshold = o.criticalThreshold;
    if (o.enabled !== undefined) rule.enabled = o.enabled;
    if (o.forSeconds !== undefined) rule.forSeconds = o.forSeconds;
    if (o.keepFiringForSeconds !== undefined) rule.keepFiringForSeconds = o.keepFiringForSeconds;
    if (o.severity !== undefined) rule.severity = o.severity;
    if (o.labels) rule.labels = { ...rule.labels, ...o.labels };
    if (o.minIndexBytes !== undefined) rule.minIndexBytes = o.minIndexBytes;
    if (o.windowSeconds !== undefined) rule.windowSeconds = o.windowSeconds;
    if (o.minBlockAccesses !== undefined) rule.minBlockAccesses = o.minBlockAccesses;
    if (o.channels !== undefined) rule.channels = o.channels;
  }
  rule.threshold = threshold;
  rule.criticalThreshold = criticalThreshold;
  rule.clearThreshold = clearThreshold ?? (d.clear ? d.clear(threshold) : null);
  return rule;
}

/** Every rule for one target, disabled ones included (callers check `enabled`). */
export function resolveRules(config: Pick<PgpulseConfig, "thresholds" | "rules" | "targets">, targetId?: string): Rule[] {
  return RULE_IDS.map((id) => resolveRule(id, config, targetId));
}

export interface ConfigIssue {
  path: Array<string | number>;
  message: string;
}

/**
 * A critical line on the near side of the warning line would make every episode critical from
 * its start. Checked once per resolved rule (globally and per target); the issue names the most
 * specific field that set either line, since that is the one to change.
 */
export function criticalLineIssues(config: Pick<PgpulseConfig, "thresholds" | "rules" | "targets">): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const scopes: Array<{ targetId?: string; prefix: Array<string | number> }> = [
    { prefix: [] },
    ...config.targets.map((t, i) => ({ targetId: t.id, prefix: ["targets", i] })),
  ];
  for (const id of RULE_IDS) {
    for (const scope of scopes) {
      const r = resolveRule(id, config, scope.targetId);
      if (r.criticalThreshold === null) continue;
      const beyond = r.comparator === "gt" ? r.criticalThreshold > r.threshold : r.criticalThreshold < r.threshold;
      if (beyond) continue;
      const where = fieldThatSet(id, config, scope);
      // Reported once, at the layer that made it wrong (a global mistake is not repeated per target).
      if (!where || (scope.targetId !== undefined && where[0] !== "targets")) continue;
      const side = r.comparator === "gt" ? "above" : "below";
      issues.push({
        path: where,
        message:
          where[where.length - 1] === "criticalThreshold"
            ? `must be ${side} the rule's threshold (${r.threshold}) for ${id}, or null for one severity`
            : `${r.threshold} is past ${id}'s critical line (${r.criticalThreshold}): move criticalThreshold ${side} it too, or set it to null`,
      });
    }
  }
  return issues;
}

function fieldThatSet(id: RuleId, config: Pick<PgpulseConfig, "thresholds" | "rules" | "targets">, scope: { targetId?: string; prefix: Array<string | number> }): Array<string | number> | null {
  const d = RULE_DEFAULTS[id];
  const i = scope.prefix.length ? (scope.prefix[1] as number) : -1;
  const target = i >= 0 ? config.targets[i] : undefined;
  const candidates: Array<[Array<string | number>, unknown]> = [
    [["targets", i, "rules", id, "criticalThreshold"], target?.rules?.[id]?.criticalThreshold],
    [["targets", i, "rules", id, "threshold"], target?.rules?.[id]?.threshold],
    [["targets", i, "thresholds", d.thresholdKey ?? ""], d.thresholdKey ? target?.thresholds?.[d.thresholdKey] : undefined],
    [["rules", id, "criticalThreshold"], config.rules[id]?.criticalThreshold],
    [["rules", id, "threshold"], config.rules[id]?.threshold],
    [["thresholds", d.thresholdKey ?? ""], d.thresholdKey ? config.thresholds[d.thresholdKey] : undefined],
  ];
  const found = candidates.find(([path, v]) => v !== undefined && (i >= 0 || path[0] !== "targets"));
  return found ? found[0] : null;
}
