import type { ActivityResponse, CountsByState, Session } from "@/lib/api/activity";
import { buildBlockerTree } from "@/lib/analysis/blocker-tree";
import type { MetricResult } from "@/lib/metrics/types";
import { activityRow, connectionsRow, parseRows, type ActivityRow } from "./rows";

// stat_activity (+ connections) from the collector's snapshot → the live page's contract.
// Durations are as of the sample: the page shows "last updated N s ago" next to them.

export interface ActivityInput {
  targetId: string;
  statActivity: MetricResult | undefined;
  /** stat_activity's cadence on this server (lib/server/wiring/cadence.ts). */
  cadenceMs: number;
  connections: MetricResult | undefined;
  unavailable: string | null;
  poolSize: number | null;
  /** Applied to every query text (redactSql for viewers, identity otherwise). */
  redact: (text: string) => string;
}

const HIDDEN_TEXT = "<insufficient privilege>";

export function toSession(r: ActivityRow, redact: (text: string) => string): Session {
  // The placeholder PostgreSQL shows for hidden rows is not SQL: never hand it to the parser.
  const query = r.query === null || r.hidden || r.query === HIDDEN_TEXT ? r.query : redact(r.query);
  return {
    pid: r.pid,
    user: r.usename,
    application: r.application_name,
    clientAddr: r.client_addr,
    state: r.state,
    waitEventType: r.wait_event_type,
    waitEvent: r.wait_event,
    backendStart: r.backend_start,
    xactStart: r.xact_start,
    queryStart: r.query_start,
    stateChange: r.state_change,
    query,
    queryId: r.query_id,
    durationMs: r.query_ms,
    xactAgeMs: r.xact_ms,
    blockedBy: r.blocked_by,
    hidden: r.hidden,
  };
}

export function countByState(sessions: readonly Session[]): CountsByState {
  const c: CountsByState = { total: sessions.length, active: 0, idle: 0, idleInTransaction: 0, idleInTransactionAborted: 0, other: 0, hidden: 0, waitingLock: 0 };
  for (const s of sessions) {
    if (s.hidden) c.hidden++;
    if (s.waitEventType === "Lock") c.waitingLock++;
    if (s.state === "active") c.active++;
    else if (s.state === "idle") c.idle++;
    else if (s.state === "idle in transaction") c.idleInTransaction++;
    else if (s.state === "idle in transaction (aborted)") c.idleInTransactionAborted++;
    else if (!s.hidden) c.other++;
  }
  return c;
}

export function toActivity(input: ActivityInput): ActivityResponse {
  const sa = input.statActivity;
  const rows = sa?.status === "ok" ? parseRows(sa.rows, activityRow).rows : [];
  const sessions = rows.map((r) => toSession(r, input.redact));
  const conn = input.connections?.status === "ok" ? parseRows(input.connections.rows, connectionsRow).rows[0] : undefined;
  // Slots are held by pgpulse's own sessions too: the connections metric counts them, the
  // session table does not. Without a connections sample, the table's count stands in.
  const usable = conn?.usable ?? null;
  const total = conn?.total ?? sessions.length;
  return {
    targetId: input.targetId,
    takenAt: sa?.status === "ok" ? sa.ts.toISOString() : null,
    cadenceMs: input.cadenceMs,
    unavailable: input.unavailable,
    sessions,
    countsByState: countByState(sessions),
    saturation: {
      total,
      usable,
      max: conn?.max_connections ?? null,
      ratio: conn?.saturation ?? (usable !== null && usable > 0 && sa?.status === "ok" ? total / usable : null),
    },
    poolSize: input.poolSize,
    blockerTree: buildBlockerTree(sessions),
  };
}
