import type { Alert as AlertView, Silence as SilenceView } from "@/lib/api/alerts";
import type { AlertEventRecord, Alert as AlertRecord } from "@/lib/alerts/read";
import type { Silence as SilenceRecord } from "@/lib/alerts/actions";
import { RULE_DEFAULTS } from "@/lib/alerts/rules";
import { silencedBy as findSilence } from "@/lib/alerts/silence-match";
import { isRuleId, type Rule } from "@/lib/alerts/types";
import { describeConnectionFailure } from "@/lib/db/connection-failure";
import { formatBytes } from "@/lib/format/bytes";
import { formatSeconds, formatDuration } from "@/lib/format/duration";
import { formatPercent, formatXidAge, UNKNOWN } from "@/lib/format/number";

// lib/alerts records → the API contracts (lib/api/alerts.ts). Pure: the route handlers load the
// records and the silences, this module decides how they read.

/** Rule units as the contract names them; "up" is a yes/no, not a measure. */
const CONTRACT_UNIT: Record<Rule["unit"], string | null> = { ms: "ms", bytes: "bytes", percent: "percent", seconds: "seconds", xid: "xid", up: null, count: "count" };

export function unitOf(rule: string): string | null {
  return isRuleId(rule) ? CONTRACT_UNIT[RULE_DEFAULTS[rule].unit] : null;
}

export interface ViewOptions {
  /** Active silences, for `silencedBy`. */
  silences: readonly SilenceRecord[];
  now: number;
  targetName?: (targetId: string) => string | undefined;
  /** How query text reads for this caller: redacted for viewers, raw for responders and admins. */
  showSql: (sql: string) => string;
}

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const stripPrefix = (object: string, prefix: string) => (object.startsWith(prefix) ? object.slice(prefix.length) : object);
const oneLine = (s: string, max: number) => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** One sentence an on-call engineer can read at 3 a.m.: what, how much, against which line. */
export function summarizeAlert(
  a: Pick<AlertRecord, "rule" | "targetId" | "objectKey" | "value" | "threshold" | "details" | "labels"> & Partial<Pick<AlertRecord, "state" | "severity">>,
  opts: Pick<ViewOptions, "targetName" | "showSql">,
): string {
  const v = a.value;
  const t = a.threshold;
  const d = a.details;
  const session = () => {
    const user = a.labels.user ? ` (${a.labels.user}${a.labels.application ? `, ${a.labels.application}` : ""})` : "";
    return `Session ${stripPrefix(a.objectKey, "pid:")}${user}`;
  };
  switch (a.rule) {
    case "table_size":
      return `${a.objectKey} is ${formatBytes(v)} (threshold ${formatBytes(t)})`;
    case "index_bloat":
      return `${a.objectKey} is ${formatPercent(v)} bloated (threshold ${formatPercent(t)})`;
    case "cache_hit_ratio":
      return `Cache hit ratio of ${stripPrefix(a.objectKey, "db:")} is ${formatPercent(v)} (threshold ${formatPercent(t)})`;
    case "slow_query": {
      const query = str(d.query);
      const what = query ? `: ${oneLine(opts.showSql(query), 160)}` : ` ${a.objectKey}`;
      // A running occurrence's value is how long it had run at the last sample, not how long it took.
      if (a.labels.source === "running" || d.source === "running") {
        const open = a.state === "firing" || a.state === "pending";
        return `Statement ${open ? "running for" : "ran for at least"} ${formatDuration(v)} (threshold ${formatDuration(t)})${what}`;
      }
      return `Statement took ${formatDuration(v)} (threshold ${formatDuration(t)})${what}`;
    }
    case "target_down": {
      const name = opts.targetName?.(a.targetId) ?? a.targetId;
      const error = str(d.error);
      // Alerts stored before the reason was kept in fixed words are mapped on the way out.
      return `${name} is unreachable${error ? `: ${describeConnectionFailure({ message: error })}` : ""}`;
    }
    case "connection_saturation": {
      const total = num(d.total);
      const usable = num(d.usable);
      const counts = total !== null && usable !== null ? `${total} of ${usable} usable connections in use` : "Usable connections in use";
      return `${counts}: ${formatPercent(v)} (threshold ${formatPercent(t)})`;
    }
    case "idle_in_transaction":
      return `${session()} idle in transaction for ${formatSeconds(v)} (threshold ${formatSeconds(t)})`;
    case "long_transaction":
      return `${session()} has had a transaction open for ${formatSeconds(v)} (threshold ${formatSeconds(t)})`;
    case "blocked_sessions": {
      const count = num(d.count);
      const who = count === null ? "Sessions" : `${count} session${count === 1 ? "" : "s"}`;
      return `${who} waiting on a lock, the longest for ${formatSeconds(v)} (threshold ${formatSeconds(t)})`;
    }
    case "xid_wraparound":
      return `Transaction ID age of ${stripPrefix(a.objectKey, "db:")} is ${formatXidAge(v)} (threshold ${formatXidAge(t)})`;
    case "sequence_exhaustion": {
      const column = str(d.column);
      return `Sequence ${stripPrefix(a.objectKey, "sequence:")}${column ? ` (feeding ${column})` : ""} has used ${formatPercent(v)} of its range (threshold ${formatPercent(t)})${a.severity === "critical" ? ", past the critical line" : ""}`;
    }
    case "replication_slot_inactive": {
      const status = str(d.walStatus);
      const lost = status === "lost" || status === "unreserved" ? `, WAL ${status}` : "";
      return `Replication slot ${stripPrefix(a.objectKey, "slot:")} is inactive, holding ${formatBytes(v)} of WAL (threshold ${formatBytes(t)})${lost}`;
    }
    case "backup_stale":
      return v === null ? "No successful backup recorded" : `Newest successful backup is ${formatSeconds(v)} old (threshold ${formatSeconds(t)})`;
    case "vacuum_behind":
      return `${stripPrefix(a.objectKey, "table:")} is ${formatPercent(v)} dead tuples with no recent vacuum (threshold ${formatPercent(t)})`;
    case "replication_lag": {
      const who = a.objectKey === "replay" ? "This standby" : `Standby ${stripPrefix(a.objectKey, "standby:")}`;
      const bytes = num(d.bytesBehind);
      return `${who} replays ${formatSeconds(v)} behind${bytes !== null ? `, ${formatBytes(bytes)} of WAL` : ""} (threshold ${formatSeconds(t)})`;
    }
    case "archive_failing": {
      const wal = str(d.lastFailedWal);
      return `WAL archiving failed ${v ?? UNKNOWN} time${v === 1 ? "" : "s"} in ${formatSeconds(num(d.windowSeconds))}${wal ? `, last on ${wal}` : ""}`;
    }
    case "archive_stale": {
      const waiting = num(d.segmentsWaiting);
      const last = str(d.lastArchivedWal);
      return `Nothing archived for ${formatSeconds(v)} while WAL is written${waiting !== null ? ` (${waiting} segment${waiting === 1 ? "" : "s"} waiting)` : ""}${last ? `, last archived ${last}` : ""} (threshold ${formatSeconds(t)})`;
    }
    case "checkpoints_requested":
      return `${formatPercent(v)} of checkpoints in ${formatSeconds(num(d.windowSeconds))} were requested, not timed (threshold ${formatPercent(t)})`;
    case "standby_down": {
      const status = str(d.status);
      return `${opts.targetName?.(a.targetId) ?? a.targetId} is not streaming from its primary (WAL receiver ${status ?? "not running"})`;
    }
    default:
      return `${a.rule} on ${a.objectKey || a.targetId}: ${v ?? UNKNOWN} (threshold ${t ?? UNKNOWN})`;
  }
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/**
 * The silence muting an open alert now. A resolved or inactive alert is muted by nothing: a
 * silence only matters for notifications an open episode may still send.
 */
export function silenceFor(a: Pick<AlertRecord, "state" | "rule" | "targetId" | "objectKey">, silences: readonly SilenceRecord[], now: number): SilenceRecord | null {
  if (a.state !== "pending" && a.state !== "firing") return null;
  const id = findSilence([...silences], a, now);
  return id === null ? null : (silences.find((s) => s.id === id) ?? null);
}

export function toAlertView(a: AlertRecord, opts: ViewOptions): AlertView {
  const s = silenceFor(a, opts.silences, opts.now);
  return {
    id: String(a.id),
    rule: a.rule,
    target: a.targetId,
    object: a.objectKey,
    state: a.state,
    severity: a.severity,
    value: a.value,
    threshold: a.threshold,
    unit: unitOf(a.rule),
    since: a.since.toISOString(),
    firedAt: iso(a.firedAt),
    resolvedAt: iso(a.resolvedAt),
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedAt: iso(a.acknowledgedAt),
    ackComment: a.ackComment,
    silencedBy: s ? { id: String(s.id), reason: s.reason, endsAt: s.endsAt.toISOString(), createdBy: s.createdBy } : null,
    labels: a.labels,
    summary: summarizeAlert(a, opts),
  };
}

/** What an event row adds to its transition: an acknowledgement, or the silence that muted it. */
export function eventNote(details: Record<string, unknown>): string | null {
  const by = str(details.acknowledgedBy);
  if (by) {
    const comment = str(details.comment);
    return `acknowledged by ${by}${comment ? `: ${comment}` : ""}`;
  }
  const silence = num(details.silencedBy);
  const closed = str(details.retired);
  if (closed) return `closed without recovery: ${closed}${silence !== null ? ` (silenced by silence ${silence}: no notification sent)` : ""}`;
  if (silence !== null) return `silenced by silence ${silence}: no notification sent`;
  return null;
}

export function toEventView(e: AlertEventRecord) {
  return { id: String(e.id), at: e.at.toISOString(), fromState: e.from, toState: e.to, value: e.value, note: eventNote(e.details) };
}

export function toSilenceView(s: SilenceRecord): SilenceView {
  return {
    id: String(s.id),
    matchers: s.matchers,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    reason: s.reason,
    createdBy: s.createdBy,
    createdAt: s.createdAt.toISOString(),
    expiredBy: s.expiredBy,
    active: s.active,
  };
}
