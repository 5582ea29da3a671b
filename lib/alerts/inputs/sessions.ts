import type { Observation, Rule } from "../types";
import { num, str, truncate, type Row } from "./values";

// stat_activity rows → idle_in_transaction, long_transaction (one per pid) and blocked_sessions
// (one per target). pgpulse's own sessions (`hidden`) never alert.

function visible(rows: Row[]): Row[] {
  return rows.filter((r) => r.hidden !== true && num(r.pid) !== null);
}

function sessionLabels(r: Row): Record<string, string> {
  return { pid: String(num(r.pid)), user: str(r.usename) ?? "", application: str(r.application_name) ?? "" };
}

export function idleInTransactionObservations(rows: Row[], _rule: Rule): Observation[] {
  return visible(rows)
    .filter((r) => (str(r.state) ?? "").startsWith("idle in transaction"))
    .map((r) => {
      const ms = num(r.state_ms);
      return {
        objectKey: `pid:${num(r.pid)}`,
        value: ms === null ? null : ms / 1000,
        labels: sessionLabels(r),
        details: { state: str(r.state), xactStart: r.xact_start ?? null, query: truncate(str(r.query), 300) },
      };
    });
}

export function longTransactionObservations(rows: Row[], _rule: Rule): Observation[] {
  return visible(rows)
    .filter((r) => num(r.xact_ms) !== null)
    .map((r) => ({
      objectKey: `pid:${num(r.pid)}`,
      value: num(r.xact_ms)! / 1000,
      labels: sessionLabels(r),
      details: { state: str(r.state), xactStart: r.xact_start ?? null, query: truncate(str(r.query), 300) },
    }));
}

/**
 * One observation per target while any session waits on a lock: the value is the longest wait
 * in seconds (time in the current state, the closest live measure of a lock wait), the details
 * carry how many sessions wait past the threshold, their pids and their blockers.
 */
export function blockedSessionsObservations(rows: Row[], rule: Rule): Observation[] {
  const waiting = visible(rows).filter((r) => r.wait_event_type === "Lock" || (Array.isArray(r.blocked_by) && r.blocked_by.length > 0));
  if (waiting.length === 0) return [];
  const waits = waiting.map((r) => ({ pid: num(r.pid)!, seconds: (num(r.state_ms) ?? 0) / 1000, blockedBy: Array.isArray(r.blocked_by) ? r.blocked_by.map(num).filter((n): n is number => n !== null) : [] }));
  const over = waits.filter((w) => w.seconds > rule.threshold);
  return [
    {
      objectKey: "locks",
      value: Math.max(...waits.map((w) => w.seconds)),
      labels: {},
      details: {
        count: over.length,
        waiting: waits.length,
        pids: over.map((w) => w.pid),
        blockers: [...new Set(over.flatMap((w) => w.blockedBy))],
      },
    },
  ];
}
