import type { AlertContext, AlertLink } from "@/lib/api/alert-context";
import { parseLiveParams, parseTablesParams, serializeLiveParams, serializeTablesParams } from "@/lib/api/search-params";
import type { Alert as AlertRecord, AlertEventRecord } from "@/lib/alerts/read";
import { RULE_DEFAULTS } from "@/lib/alerts/rules";
import { isRuleId, type Rule } from "@/lib/alerts/types";

// The "what to do" part of an alert detail, pure: the record, its events, the rule as resolved
// for its target and the running statements of the latest snapshot go in; the contract's
// context comes out. Links carry the URL state the target pages already read.

type Record_ = Pick<AlertRecord, "rule" | "targetId" | "objectKey" | "state" | "labels" | "details" | "since">;

/** A running statement as the slow_queries metric reports it. */
export interface RunningStatement {
  fingerprint: string;
  pid: number | null;
  durationMs: number;
}

const strip = (s: string, prefix: string) => (s.startsWith(prefix) ? s.slice(prefix.length) : s);

/** The object an alert is about, in words: "database kundli_db", "index public.x_idx", "". */
export function objectPhrase(rule: string, objectKey: string): string {
  if (objectKey === "" || rule === "blocked_sessions") return "";
  const prefixed: Array<[string, string]> = [
    ["db:", "database"],
    ["pid:", "session"],
    ["table:", "table"],
    ["sequence:", "sequence"],
    ["slot:", "replication slot"],
    ["standby:", "standby"],
  ];
  for (const [prefix, noun] of prefixed) if (objectKey.startsWith(prefix)) return `${noun} ${objectKey.slice(prefix.length)}`;
  const byRule: Record<string, string> = { index_bloat: "index", table_size: "table", slow_query: "statement fingerprint" };
  return `${byRule[rule] ?? "object"} ${objectKey}`;
}

const VERB: Record<AlertRecord["state"], string> = { firing: "is firing", pending: "is pending", resolved: "fired and has resolved", inactive: "is inactive" };

/** "Cache hit ratio below the threshold (cache_hit_ratio) is firing for database kundli_db on Demo." */
export function alertSentence(a: Record_, targetName: string, running: RunningStatement | null): string {
  const what = isRuleId(a.rule) ? `${RULE_DEFAULTS[a.rule].summary} (${a.rule})` : a.rule;
  const object = objectPhrase(a.rule, a.objectKey);
  const where = `${object ? ` for ${object}` : ""} on ${targetName}`;
  if (running) return `${what} ${VERB[a.state]}${where}: the statement is still running${running.pid !== null ? ` (pid ${running.pid})` : ""}.`;
  return `${what} ${VERB[a.state]}${where}.`;
}

const pidsOf = (v: unknown): number[] => (Array.isArray(v) ? v.filter((p): p is number => Number.isInteger(p) && p > 0) : []);

function liveHref(target: string, pid: number): string {
  return `/targets/${encodeURIComponent(target)}/live?${serializeLiveParams({ ...parseLiveParams({}), pid })}`;
}
function tablesHref(target: string, p: { tab?: "indexes"; q: string; table?: string }): string {
  return `/targets/${encodeURIComponent(target)}/tables?${serializeTablesParams({ ...parseTablesParams({}), ...p })}`;
}

/** Where the object lives in the UI: its query page, its index or table row, its session. */
export function alertLinks(a: Record_, running: RunningStatement | null): AlertLink[] {
  const t = a.targetId;
  const links: AlertLink[] = [];
  const session = (pid: number, label = `session ${pid} on the live page`) => links.push({ kind: "session", label, href: liveHref(t, pid) });
  switch (a.rule) {
    case "slow_query":
      links.push({ kind: "query", label: "statement history and EXPLAIN", href: `/targets/${encodeURIComponent(t)}/queries/${encodeURIComponent(a.objectKey)}` });
      if (running?.pid) session(running.pid, `running session ${running.pid} on the live page`);
      break;
    case "index_bloat":
      links.push({ kind: "index", label: `index ${a.objectKey} with its fix SQL`, href: tablesHref(t, { tab: "indexes", q: a.objectKey }) });
      break;
    case "table_size":
    case "vacuum_behind": {
      const table = strip(a.objectKey, "table:");
      links.push({ kind: "table", label: `table ${table}`, href: tablesHref(t, { q: table, table }) });
      break;
    }
    case "idle_in_transaction":
    case "long_transaction": {
      const pid = Number(strip(a.objectKey, "pid:"));
      if (Number.isInteger(pid) && pid > 0) session(pid);
      break;
    }
    case "blocked_sessions":
      for (const pid of pidsOf(a.details.blockers).slice(0, 5)) session(pid, `blocking session ${pid}`);
      for (const pid of pidsOf(a.details.pids).slice(0, 5)) session(pid, `waiting session ${pid}`);
      break;
  }
  links.push({ kind: "target", label: "the target's live page", href: `/targets/${encodeURIComponent(t)}/live` });
  return links;
}

/**
 * The stored series that measures what the rule measures, in the alert's unit. Rules whose
 * measure has no series of its own (a table's size, one session's age) get no chart rather than
 * a chart of something else under the rule's lines.
 */
export function alertChart(a: Record_, running: RunningStatement | null): AlertContext["chart"] {
  const database = a.labels.database ?? null;
  switch (a.rule) {
    case "cache_hit_ratio":
      return { metric: "cache_hit_ratio", scale: 1, database, label: "cache hit ratio" };
    case "connection_saturation":
      return { metric: "connection_saturation", scale: 100, database: null, label: "usable connections in use" };
    case "slow_query":
      // The longest running statement is this rule's measure only when the occurrence was a
      // running statement; a logged one happened once and has no series.
      return running || a.labels.source === "running" ? { metric: "longest_query_seconds", scale: 1000, database: null, label: "longest running statement" } : null;
    default:
      return null;
  }
}

/**
 * The value at the current episode's transition to firing, or to pending if it never fired.
 * Acknowledgements are events too (firing → firing): only a change of state counts.
 */
export function firedValue(events: readonly Pick<AlertEventRecord, "at" | "from" | "to" | "value">[], since: Date): number | null {
  const episode = events.filter((e) => e.at.getTime() >= since.getTime() && e.from !== e.to);
  const fired = episode.find((e) => e.to === "firing") ?? episode.find((e) => e.to === "pending");
  return fired?.value ?? null;
}

export function buildAlertContext(input: {
  alert: Record_;
  events: readonly Pick<AlertEventRecord, "at" | "from" | "to" | "value">[];
  rule: Pick<Rule, "comparator" | "threshold" | "clearThreshold" | "keepFiringForSeconds">;
  targetName: string;
  running: readonly RunningStatement[];
}): AlertContext {
  const a = input.alert;
  const open = a.state === "firing" || a.state === "pending";
  const mine = a.rule === "slow_query" && open ? input.running.filter((r) => r.fingerprint === a.objectKey) : [];
  const running = mine.length ? mine.reduce((x, y) => (y.durationMs > x.durationMs ? y : x)) : null;
  return {
    sentence: alertSentence(a, input.targetName, running),
    comparator: input.rule.comparator,
    threshold: input.rule.threshold,
    clearThreshold: input.rule.clearThreshold,
    keepFiringForSeconds: input.rule.keepFiringForSeconds,
    firedValue: firedValue(input.events, a.since),
    hint: isRuleId(a.rule) ? (RULE_DEFAULTS[a.rule].hint ?? null) : null,
    running: running ? { pid: running.pid, forMs: running.durationMs } : null,
    links: alertLinks(a, running),
    chart: alertChart(a, running),
  };
}
