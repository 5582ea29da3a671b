import { z } from "zod";
import { formatDuration } from "@/lib/format/duration";
import { formatXidAge } from "@/lib/format/number";
import { ALERT_COMMENT_MAX, SILENCE_REASON_MAX } from "@/lib/limits";
import { freeText, isoTime, nameParam, nullableIso, nullableNumber, severitySchema, type Severity } from "./common";
import { alertContextSchema } from "./alert-context";
import type { SeriesMetric } from "./series";

// The alert API (issue 4 §7). Every body the route handlers send or accept is here.

export const alertStateSchema = z.enum(["inactive", "pending", "firing", "resolved"]);
export type AlertState = z.infer<typeof alertStateSchema>;

export const silenceMatchersSchema = z
  .object({
    rule: nameParam(100).optional(),
    target: nameParam(63).optional(),
    /** `*` matches any run of characters: "public.birth_charts_*". */
    objectPattern: nameParam(300).optional(),
  })
  .refine((m) => m.rule !== undefined || m.target !== undefined || m.objectPattern !== undefined, {
    message: "a silence needs at least one matcher",
  });

export const silenceSchema = z.object({
  id: z.string(),
  matchers: z.object({ rule: z.string().optional(), target: z.string().optional(), objectPattern: z.string().optional() }),
  startsAt: isoTime,
  endsAt: isoTime,
  reason: z.string(),
  createdBy: z.string(),
  createdAt: isoTime,
  expiredBy: z.string().nullable(),
  active: z.boolean(),
});
export type Silence = z.infer<typeof silenceSchema>;

export const alertSchema = z.object({
  id: z.string(),
  rule: z.string(),
  target: z.string(),
  /** The table, index, fingerprint, database or pid the alert is about; "" for target-wide. */
  object: z.string(),
  state: alertStateSchema,
  severity: severitySchema,
  value: nullableNumber,
  threshold: nullableNumber,
  /** How value and threshold read: "bytes", "percent", "ms", "count", "ratio", "seconds", "xid" (a transaction-ID age). */
  unit: z.string().nullable(),
  /** Start of the current pending/firing episode. */
  since: isoTime,
  firedAt: nullableIso,
  resolvedAt: nullableIso,
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: nullableIso,
  ackComment: z.string().nullable(),
  /** The silence that currently mutes it, if any. */
  silencedBy: z.object({ id: z.string(), reason: z.string(), endsAt: isoTime, createdBy: z.string() }).nullable(),
  labels: z.record(z.string(), z.string()),
  summary: z.string().nullable(),
});
export type Alert = z.infer<typeof alertSchema>;

/** GET /api/alerts?state&target&rule&from&to */
export const alertListQuerySchema = z.object({
  state: z.array(alertStateSchema).optional(),
  target: nameParam(63).optional(),
  rule: nameParam(100).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
});
export const alertListResponseSchema = z.object({ alerts: z.array(alertSchema), truncated: z.boolean() });
export type AlertListResponse = z.infer<typeof alertListResponseSchema>;

/** GET /api/alerts/{id} */
export const alertEventSchema = z.object({
  id: z.string(),
  at: isoTime,
  fromState: alertStateSchema,
  toState: alertStateSchema,
  value: nullableNumber,
  /** e.g. "acknowledged by ana: looking", "silenced by …". */
  note: z.string().nullable(),
});
export const alertDetailResponseSchema = z.object({ alert: alertSchema, events: z.array(alertEventSchema), context: alertContextSchema });

/** POST /api/alerts/{id}/ack (responder+) */
export const ackRequestSchema = z.object({ comment: freeText(ALERT_COMMENT_MAX).default("") });
export const ackResponseSchema = z.object({ alert: alertSchema });

/** GET/POST /api/silences, DELETE /api/silences/{id} (responder+ to change) */
export const silenceListResponseSchema = z.object({ silences: z.array(silenceSchema) });
export const silenceCreateSchema = z.object({
  matchers: silenceMatchersSchema,
  endsAt: isoTime,
  reason: freeText(SILENCE_REASON_MAX).pipe(z.string().min(1, "say why")),
});
export type SilenceCreate = z.input<typeof silenceCreateSchema>;
export const silenceResponseSchema = z.object({ silence: silenceSchema });

/** GET /api/notifications?alert= — every delivery attempt of an alert's notifications. */
export const notificationSchema = z.object({
  id: z.string(),
  channelId: z.string(),
  eventId: z.string().nullable(),
  status: z.enum(["pending", "delivered", "failed", "dead"]),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: isoTime,
  deliveredAt: nullableIso,
  nextAttemptAt: nullableIso,
  attemptLog: z.array(
    z.object({ at: isoTime, statusCode: z.number().int().nullable(), error: z.string().nullable(), durationMs: nullableNumber }),
  ),
});
export const notificationListResponseSchema = z.object({ notifications: z.array(notificationSchema) });

/** GET /api/alerts/count — the nav badge. */
export const alertCountSchema = z.object({
  firing: z.object({ critical: z.number().int(), warning: z.number().int(), info: z.number().int() }),
  pending: z.number().int(),
});

/** GET /api/alerts/stats?from&to — MTTA and MTTR per rule over the range. */
export const alertStatsResponseSchema = z.object({
  from: isoTime,
  to: isoTime,
  rules: z.array(
    z.object({
      rule: z.string(),
      fired: z.number().int(),
      acknowledged: z.number().int(),
      resolved: z.number().int(),
      mttaSeconds: nullableNumber,
      mttrSeconds: nullableNumber,
    }),
  ),
});
export type AlertStatsResponse = z.infer<typeof alertStatsResponseSchema>;

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const STATE_ORDER: Record<AlertState, number> = { firing: 0, pending: 1, resolved: 2, inactive: 3 };

/** Firing then pending first, by severity, the oldest first within a group. */
export function sortAlerts<T extends Pick<Alert, "state" | "severity" | "since">>(alerts: readonly T[]): T[] {
  return [...alerts].sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      Date.parse(a.since) - Date.parse(b.since),
  );
}

/** The series drawn as a sparkline next to an alert of this rule, when one fits. */
export function sparklineMetricFor(rule: string): SeriesMetric | null {
  const map: Record<string, SeriesMetric> = {
    cache_hit_ratio: "cache_hit_ratio",
    connection_saturation: "connection_saturation",
    slow_query: "slow_queries_per_minute",
    idle_in_transaction: "connections_idle_in_transaction",
    blocked_sessions: "connections_waiting_lock",
    long_transaction: "longest_query_seconds",
    target_down: "connections_total",
  };
  return map[rule] ?? null;
}

export function alertListUrl(q: { state?: AlertState[]; target?: string; rule?: string; from?: Date; to?: Date }): string {
  const p = new URLSearchParams();
  for (const s of q.state ?? []) p.append("state", s);
  if (q.target) p.set("target", q.target);
  if (q.rule) p.set("rule", q.rule);
  if (q.from) p.set("from", q.from.toISOString());
  if (q.to) p.set("to", q.to.toISOString());
  const s = p.toString();
  return `/api/alerts${s ? `?${s}` : ""}`;
}

/** Value and threshold as people read them, by the alert's unit. */
export function formatAlertValue(v: number | null, unit: string | null): string {
  if (v === null) return "—";
  const n = (x: number, d = 1) => (Number.isInteger(x) ? String(x) : x.toFixed(d));
  switch (unit) {
    case "bytes": {
      const units = ["bytes", "kB", "MB", "GB", "TB"];
      let x = v;
      let i = 0;
      while (Math.abs(x) >= 1024 && i < units.length - 1) {
        x /= 1024;
        i++;
      }
      return `${n(x)} ${units[i]}`;
    }
    case "percent":
      return `${n(v)} %`;
    case "ratio":
      return `${n(v * 100)} %`;
    // Durations in their compact form ("1.5 s", "5 min 1 s"), as the summaries write them.
    case "ms":
      return formatDuration(v);
    case "seconds":
      return formatDuration(v * 1000);
    case "xid":
      return formatXidAge(v);
    default:
      return n(v, 2);
  }
}
