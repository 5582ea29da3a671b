import { z } from "zod";
import { ALERT_COMMENT_MAX, SILENCE_REASON_MAX } from "@/lib/limits";
import { freeText, isoTime, nameParam, nullableIso, nullableNumber, severitySchema } from "./common";
import { alertContextSchema } from "./alert-context";
import { ALERT_STATES } from "./alert-view";
import { UNKNOWN_RULE_MESSAGE, isRuleId } from "@/lib/alerts/types";

// The alert API (issue 4 §7). Every body the route handlers send or accept is here.

export const alertStateSchema = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof alertStateSchema>;

/** A rule id from the registry: a misspelt one would match nothing, silently. */
const ruleParam = nameParam(100).refine(isRuleId, UNKNOWN_RULE_MESSAGE);

export const silenceMatchersSchema = z
  .object({
    rule: ruleParam.optional(),
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
  rule: ruleParam.optional(),
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
