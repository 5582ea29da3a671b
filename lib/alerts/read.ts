import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { many, maybeOne, one } from "@/lib/db/query";
import type { AlertState, Severity } from "./types";

// Reads for the API. Everything here comes from the store: a viewer never causes a query on a
// monitored database, and nothing returned carries a channel URL.

const state = z.enum(["pending", "firing", "resolved", "inactive"]);
const severity = z.enum(["info", "warning", "critical"]);

export const ALERT_COLUMNS =
  "id, rule, target_id, object_key, labels, state, severity, value, threshold, since, fired_at, resolved_at, last_eval_at, acknowledged_by, acknowledged_at, ack_comment, details";

export const alertRowSchema = z.object({
  id: z.coerce.number(),
  rule: z.string(),
  target_id: z.string(),
  object_key: z.string(),
  labels: z.record(z.string(), z.string()),
  state,
  severity,
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  since: z.date(),
  fired_at: z.date().nullable(),
  resolved_at: z.date().nullable(),
  last_eval_at: z.date(),
  acknowledged_by: z.string().nullable(),
  acknowledged_at: z.date().nullable(),
  ack_comment: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export interface Alert {
  id: number;
  rule: string;
  targetId: string;
  objectKey: string;
  labels: Record<string, string>;
  state: AlertState;
  severity: Severity;
  value: number | null;
  threshold: number | null;
  since: Date;
  firedAt: Date | null;
  resolvedAt: Date | null;
  lastEvalAt: Date;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  ackComment: string | null;
  details: Record<string, unknown>;
}

export function toAlert(r: z.infer<typeof alertRowSchema>): Alert {
  return {
    id: r.id,
    rule: r.rule,
    targetId: r.target_id,
    objectKey: r.object_key,
    labels: r.labels,
    state: r.state,
    severity: r.severity,
    value: r.value,
    threshold: r.threshold,
    since: r.since,
    firedAt: r.fired_at,
    resolvedAt: r.resolved_at,
    lastEvalAt: r.last_eval_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    ackComment: r.ack_comment,
    details: r.details,
  };
}

export interface AlertFilter {
  /** One state or several; default: pending, firing and resolved (episodes that never fired and cleared are left out). */
  state?: AlertState | AlertState[];
  target?: string;
  rule?: string;
  /** Episodes overlapping [from, to]. */
  from?: Date;
  to?: Date;
  limit?: number;
}

/** Alerts, firing first, then newest first. */
export async function listAlerts(pool: Pool, filter: AlertFilter = {}): Promise<Alert[]> {
  const states = filter.state === undefined ? ["pending", "firing", "resolved"] : Array.isArray(filter.state) ? filter.state : [filter.state];
  const limit = Math.min(Math.max(filter.limit ?? 500, 1), 5000);
  const rows = await many(
    pool,
    alertRowSchema,
    `SELECT ${ALERT_COLUMNS} FROM pgpulse.alerts
      WHERE state = ANY($1::text[])
        AND ($2::text IS NULL OR target_id = $2)
        AND ($3::text IS NULL OR rule = $3)
        AND ($4::timestamptz IS NULL OR resolved_at IS NULL OR resolved_at >= $4)
        AND ($5::timestamptz IS NULL OR since <= $5)
      ORDER BY (state = 'firing') DESC, since DESC, id DESC
      LIMIT $6`,
    [states, filter.target ?? null, filter.rule ?? null, filter.from ?? null, filter.to ?? null, limit],
    "alerts: list",
  );
  return rows.map(toAlert);
}

const eventRowSchema = z.object({
  id: z.coerce.number(),
  at: z.date(),
  from_state: z.string(),
  to_state: z.string(),
  value: z.number().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export interface AlertEventRecord {
  id: number;
  at: Date;
  from: string;
  to: string;
  value: number | null;
  details: Record<string, unknown>;
}

export async function getAlert(pool: Pool, id: number): Promise<{ alert: Alert; events: AlertEventRecord[] } | null> {
  const row = await maybeOne(pool, alertRowSchema, `SELECT ${ALERT_COLUMNS} FROM pgpulse.alerts WHERE id = $1`, [id], "alerts: get");
  if (!row) return null;
  const events = await many(
    pool,
    eventRowSchema,
    `SELECT id, at, from_state, to_state, value, details FROM pgpulse.alert_events WHERE alert_id = $1 ORDER BY at, id`,
    [id],
    "alert events",
  );
  return { alert: toAlert(row), events: events.map((e) => ({ id: e.id, at: e.at, from: e.from_state, to: e.to_state, value: e.value, details: e.details })) };
}

const notificationRowSchema = z.object({
  id: z.coerce.number(),
  channel_id: z.string(),
  idempotency_key: z.string(),
  state: z.string().nullable(),
  summary: z.string().nullable(),
  status: z.enum(["pending", "delivered", "failed", "dead"]),
  attempts: z.number(),
  next_attempt_at: z.date(),
  last_error: z.string().nullable(),
  created_at: z.date(),
  delivered_at: z.date().nullable(),
  log: z.array(z.object({ at: z.string(), statusCode: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() })),
});

export interface NotificationRecord {
  id: number;
  channelId: string;
  idempotencyKey: string;
  state: string | null;
  summary: string | null;
  status: "pending" | "delivered" | "failed" | "dead";
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  attemptLog: Array<{ at: Date; statusCode: number | null; error: string | null; durationMs: number }>;
}

/** The notifications queued for one alert, each with its delivery attempts. */
export async function listNotifications(pool: Pool, alertId: number): Promise<NotificationRecord[]> {
  const rows = await many(
    pool,
    notificationRowSchema,
    `SELECT o.id, o.channel_id, o.idempotency_key, o.payload->>'state' AS state, o.payload->>'summary' AS summary, o.status,
            o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.delivered_at,
            COALESCE((SELECT jsonb_agg(jsonb_build_object('at', a.at, 'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms) ORDER BY a.at, a.id)
                        FROM pgpulse.notification_attempts a WHERE a.outbox_id = o.id), '[]'::jsonb) AS log
       FROM pgpulse.notification_outbox o WHERE o.alert_id = $1 ORDER BY o.id`,
    [alertId],
    "notifications: list",
  );
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channel_id,
    idempotencyKey: r.idempotency_key,
    state: r.state,
    summary: r.summary,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    attemptLog: r.log.map((a) => ({ at: new Date(a.at), statusCode: a.statusCode, error: a.error, durationMs: a.durationMs })),
  }));
}

export interface AlertCounts {
  firing: Record<Severity, number>;
  firingTotal: number;
  pending: number;
  /** Firing and not yet acknowledged: what the nav badge should shout about. */
  unacknowledged: number;
}

const countsSchema = z.object({ info: z.number(), warning: z.number(), critical: z.number(), pending: z.number(), unacknowledged: z.number() });

export async function alertCounts(pool: Pool): Promise<AlertCounts> {
  const r = await one(
    pool,
    countsSchema,
    `SELECT count(*) FILTER (WHERE state = 'firing' AND severity = 'info')::int AS info,
            count(*) FILTER (WHERE state = 'firing' AND severity = 'warning')::int AS warning,
            count(*) FILTER (WHERE state = 'firing' AND severity = 'critical')::int AS critical,
            count(*) FILTER (WHERE state = 'pending')::int AS pending,
            count(*) FILTER (WHERE state = 'firing' AND acknowledged_at IS NULL)::int AS unacknowledged
       FROM pgpulse.alerts WHERE state IN ('pending', 'firing')`,
    [],
    "alerts: counts",
  );
  return { firing: { info: r.info, warning: r.warning, critical: r.critical }, firingTotal: r.info + r.warning + r.critical, pending: r.pending, unacknowledged: r.unacknowledged };
}

const mttSchema = z.object({
  rule: z.string(),
  fired: z.number(),
  acknowledged: z.number(),
  resolved: z.number(),
  mtta_seconds: z.number().nullable(),
  mttr_seconds: z.number().nullable(),
});

export interface RuleResponseTimes {
  rule: string;
  /** Episodes that fired in the range. */
  fired: number;
  acknowledged: number;
  resolved: number;
  /** Mean fired → acknowledged, over acknowledged episodes; null when there were none. */
  mttaSeconds: number | null;
  /** Mean fired → resolved, over resolved episodes; null when there were none. */
  mttrSeconds: number | null;
}

/** Mean time to acknowledge and to resolve, per rule, for episodes that fired in [from, to). */
export async function mttaMttr(pool: Pool, range: { from: Date; to: Date }): Promise<RuleResponseTimes[]> {
  const rows = await many(
    pool,
    mttSchema,
    `SELECT rule,
            count(*)::int AS fired,
            count(acknowledged_at)::int AS acknowledged,
            count(resolved_at) FILTER (WHERE state = 'resolved')::int AS resolved,
            avg(extract(epoch FROM acknowledged_at - fired_at))::float8 AS mtta_seconds,
            (avg(extract(epoch FROM resolved_at - fired_at)) FILTER (WHERE state = 'resolved'))::float8 AS mttr_seconds
       FROM pgpulse.alerts
      WHERE fired_at >= $1 AND fired_at < $2
      GROUP BY rule ORDER BY rule`,
    [range.from, range.to],
    "alerts: mtta/mttr",
  );
  return rows.map((r) => ({ rule: r.rule, fired: r.fired, acknowledged: r.acknowledged, resolved: r.resolved, mttaSeconds: r.mtta_seconds, mttrSeconds: r.mttr_seconds }));
}

const backlogRow = z.object({ pending: z.number(), oldest_seconds: z.number().nullable() });

/** The outbox's backlog for /api/metrics: rows waiting to be sent and the age of the oldest. */
export async function outboxBacklog(pool: Pool): Promise<{ pending: number; oldestSeconds: number | null }> {
  const r = await one(
    pool,
    backlogRow,
    `SELECT count(*)::int AS pending, extract(epoch FROM now() - min(created_at))::float8 AS oldest_seconds
       FROM pgpulse.notification_outbox WHERE status = 'pending'`,
    [],
    "outbox: backlog",
  );
  return { pending: r.pending, oldestSeconds: r.oldest_seconds };
}
