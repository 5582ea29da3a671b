import { z } from "zod";
import { isoTime, nullableInt, nullableNumber, severitySchema } from "./common";

// GET /api/settings — a read-only view of rules and channels. Channel URLs are secrets and
// never part of this body.

export const ruleOverrideViewSchema = z.object({
  target: z.string(),
  enabled: z.boolean().optional(),
  threshold: z.number().optional(),
  /** null: this target turned the critical line off. */
  criticalThreshold: z.number().nullable().optional(),
  forSeconds: z.number().optional(),
  keepFiringForSeconds: z.number().optional(),
  /** The span a windowed rule judges (cache ratio, vacuum, archiving, checkpoints), when different. */
  windowSeconds: z.number().optional(),
  severity: severitySchema.optional(),
});

export const ruleViewSchema = z.object({
  id: z.string(),
  description: z.string().nullable(),
  /** What to do first when the rule fires, one line. */
  hint: z.string(),
  enabled: z.boolean(),
  threshold: nullableNumber,
  /** Past this value a firing alert turns critical; null: the rule has one severity. */
  criticalThreshold: nullableNumber,
  /** How the threshold reads: "bytes", "percent", "ms", "ratio", "seconds", "count", "xid" (a transaction-ID age). */
  unit: z.string().nullable(),
  forSeconds: z.number(),
  keepFiringForSeconds: nullableNumber,
  severity: severitySchema,
  labels: z.record(z.string(), z.string()),
  channels: z.array(z.string()).nullable(),
  overrides: z.array(ruleOverrideViewSchema),
});

export const channelViewSchema = z.object({
  id: z.string(),
  type: z.enum(["webhook", "slack"]),
  minSeverity: severitySchema,
  /** null: every target. */
  targets: z.array(z.string()).nullable(),
});
export type ChannelView = z.infer<typeof channelViewSchema>;

export const settingsResponseSchema = z.object({
  thresholds: z.object({
    queryTimeMs: z.number(),
    tableSizeBytes: z.number(),
    indexBloatPercent: z.number(),
    cacheHitRatioPercent: z.number(),
  }),
  /** The table size threshold was lowered for the demo. */
  tableSizeIsDemo: z.boolean(),
  rules: z.array(ruleViewSchema),
  channels: z.array(channelViewSchema),
  targets: z.array(z.object({ id: z.string(), name: z.string(), poolSize: nullableInt })),
});
export type SettingsResponse = z.infer<typeof settingsResponseSchema>;

/** POST /api/channels/{id}/test (admin) */
export const testNotificationResponseSchema = z.object({
  channelId: z.string(),
  ok: z.boolean(),
  statusCode: nullableInt,
  error: z.string().nullable(),
  at: isoTime,
});
export type TestNotificationResponse = z.infer<typeof testNotificationResponseSchema>;
