import type { PgpulseConfig, Thresholds } from "@/lib/config/schema";
import { RULE_IDS, type Rule, type RuleId, type Severity } from "./types";

// Rule defaults, and how config overrides apply. Precedence, least to most specific:
// default → global `thresholds` → global `rules[id]` → target `thresholds` → target `rules[id]`.

const MB = 1024 ** 2;

interface RuleDefault {
  comparator: Rule["comparator"];
  /** The default line; rules tied to a guideline threshold read it from `thresholds`. */
  threshold: number;
  thresholdKey?: keyof Thresholds;
  /** Hysteresis line as a function of the threshold, so an overridden threshold moves it too. */
  clear: ((threshold: number) => number) | null;
  forSeconds: number;
  keepFiringForSeconds: number;
  severity: Severity;
  unit: Rule["unit"];
  summary: string;
}

export const RULE_DEFAULTS: Record<RuleId, RuleDefault> = {
  // A slow statement is an occurrence, not a level: fire at once, resolve after 10 quiet minutes.
  slow_query: { comparator: "gt", threshold: 1000, thresholdKey: "queryTimeMs", clear: null, forSeconds: 0, keepFiringForSeconds: 600, severity: "warning", unit: "ms", summary: "Query slower than the threshold" },
  // Sizes move slowly and are sampled every few minutes; 5 % below the line avoids flapping.
  table_size: { comparator: "gt", threshold: 10 * 1024 ** 3, thresholdKey: "tableSizeBytes", clear: (t) => t * 0.95, forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "bytes", summary: "Table larger than the threshold" },
  index_bloat: { comparator: "gt", threshold: 30, thresholdKey: "indexBloatPercent", clear: (t) => Math.max(0, t - 5), forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "percent", summary: "Index bloat above the threshold" },
  // The ratio is already a 5-minute window; resolve only 2 points above the line.
  cache_hit_ratio: { comparator: "lt", threshold: 90, thresholdKey: "cacheHitRatioPercent", clear: (t) => Math.min(100, t + 2), forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "percent", summary: "Cache hit ratio below the threshold" },
  // One failed poll is not an outage: 30 s of up = 0 before paging.
  target_down: { comparator: "lt", threshold: 1, clear: null, forSeconds: 30, keepFiringForSeconds: 0, severity: "critical", unit: "up", summary: "Target unreachable" },
  connection_saturation: { comparator: "gt", threshold: 80, clear: (t) => Math.max(0, t - 5), forSeconds: 60, keepFiringForSeconds: 0, severity: "warning", unit: "percent", summary: "Connections close to the usable limit" },
  idle_in_transaction: { comparator: "gt", threshold: 300, clear: null, forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "seconds", summary: "Session idle in transaction" },
  long_transaction: { comparator: "gt", threshold: 900, clear: null, forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "seconds", summary: "Long-running transaction" },
  // Value: the longest lock wait among waiting sessions, in seconds; the count is in details.
  blocked_sessions: { comparator: "gt", threshold: 60, clear: null, forSeconds: 0, keepFiringForSeconds: 0, severity: "warning", unit: "seconds", summary: "Sessions waiting on a lock" },
  // VACUUM FREEZE drops the age by far more than 100 M, so the clear line never delays a real fix;
  // a threshold set below 1 billion clears 10 % under it (a fixed 100 M would never be reached).
  xid_wraparound: { comparator: "gt", threshold: 1_500_000_000, clear: (t) => Math.max(t - 100_000_000, t * 0.9), forSeconds: 0, keepFiringForSeconds: 0, severity: "critical", unit: "xid", summary: "Transaction ID age close to wraparound" },
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
  const rule: Rule = {
    id,
    enabled: true,
    comparator: d.comparator,
    threshold,
    clearThreshold: null,
    forSeconds: d.forSeconds,
    keepFiringForSeconds: d.keepFiringForSeconds,
    severity: d.severity,
    labels: {},
    unit: d.unit,
    channels: null,
    minIndexBytes: DEFAULT_MIN_INDEX_BYTES,
    windowSeconds: DEFAULT_WINDOW_SECONDS,
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
  rule.clearThreshold = clearThreshold ?? (d.clear ? d.clear(threshold) : null);
  return rule;
}

/** Every rule for one target, disabled ones included (callers check `enabled`). */
export function resolveRules(config: Pick<PgpulseConfig, "thresholds" | "rules" | "targets">, targetId?: string): Rule[] {
  return RULE_IDS.map((id) => resolveRule(id, config, targetId));
}

export function isRuleId(id: string): id is RuleId {
  return (RULE_IDS as readonly string[]).includes(id);
}
