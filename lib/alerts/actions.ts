import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { recordAudit } from "@/lib/auth/audit";
import { noteAlertsChanged } from "./changes";
import type { Actor } from "@/lib/auth/roles";
import { exec, many, maybeOne, one } from "@/lib/db/query";
import { inTransaction } from "@/lib/db/transaction";
import { AlertError } from "./errors";
import { alertRowSchema, toAlert, ALERT_COLUMNS, type Alert } from "./read";

// Acknowledgements and silences: each change and its audit row commit in one transaction.

export interface ActionOptions {
  sourceAddress?: string | null;
  now?: () => Date;
}

/** Acknowledges an open (pending or firing) alert: who, when, why. */
export async function acknowledge(pool: Pool, alertId: number, actor: Actor, comment: string | null, opts: ActionOptions = {}): Promise<Alert> {
  const at = (opts.now ?? (() => new Date()))();
  const text = comment?.trim() ? comment.trim().slice(0, 2000) : null;
  const out = await inTransaction(pool, async (c) => {
    const before = await maybeOne(c, alertRowSchema, `SELECT ${ALERT_COLUMNS} FROM pgpulse.alerts WHERE id = $1 FOR UPDATE`, [alertId], "alert: ack lock");
    if (!before) throw new AlertError("not_found", `no alert ${alertId}`);
    if (before.state !== "pending" && before.state !== "firing") throw new AlertError("conflict", `alert ${alertId} is ${before.state}: only an open alert can be acknowledged`);
    if (before.acknowledged_at) throw new AlertError("conflict", `alert ${alertId} was already acknowledged by ${before.acknowledged_by}`);
    const after = await one(
      c,
      alertRowSchema,
      `UPDATE pgpulse.alerts SET acknowledged_by = $2, acknowledged_at = $3, ack_comment = $4 WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
      [alertId, actor.name, at, text],
      "alert: ack",
    );
    await exec(
      c,
      `INSERT INTO pgpulse.alert_events (alert_id, at, from_state, to_state, value, details) VALUES ($1, $2, $3, $3, $4, $5)`,
      [alertId, at, before.state, before.value, { acknowledgedBy: actor.name, comment: text }],
    );
    await recordAudit(c, {
      actor,
      action: "alert.ack",
      object: `alert:${alertId}`,
      before: { acknowledgedBy: null },
      after: { acknowledgedBy: actor.name, acknowledgedAt: at.toISOString(), comment: text },
      sourceAddress: opts.sourceAddress ?? null,
    });
    return toAlert(after);
  });
  noteAlertsChanged(pool);
  return out;
}

export const silenceMatchersSchema = z
  .object({
    rule: z.string().min(1).max(100).optional(),
    target: z.string().min(1).max(63).optional(),
    objectPattern: z.string().min(1).max(500).optional(),
  })
  .strict()
  // A silence without a matcher would mute every alert of every target.
  .refine((m) => m.rule !== undefined || m.target !== undefined || m.objectPattern !== undefined, "at least one matcher is required");

export const createSilenceSchema = z.object({
  matchers: silenceMatchersSchema,
  startsAt: z.coerce.date().optional(),
  endsAt: z.coerce.date(),
  reason: z.string().trim().min(1).max(1000),
});

export type CreateSilenceInput = z.input<typeof createSilenceSchema>;

const silenceRowSchema = z.object({
  id: z.coerce.number(),
  matchers: z.object({ rule: z.string().optional(), target: z.string().optional(), objectPattern: z.string().optional() }),
  starts_at: z.date(),
  ends_at: z.date(),
  reason: z.string(),
  created_by: z.string(),
  created_at: z.date(),
  expired_at: z.date().nullable(),
  expired_by: z.string().nullable(),
});

export interface Silence {
  id: number;
  matchers: z.infer<typeof silenceMatchersSchema>;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdBy: string;
  createdAt: Date;
  expiredAt: Date | null;
  expiredBy: string | null;
  /** In force now: started, not ended, not expired early. */
  active: boolean;
}

const SILENCE_COLUMNS = "id, matchers, starts_at, ends_at, reason, created_by, created_at, expired_at, expired_by";

function toSilence(r: z.infer<typeof silenceRowSchema>, now: Date): Silence {
  return {
    id: r.id,
    matchers: r.matchers,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiredAt: r.expired_at,
    expiredBy: r.expired_by,
    active: r.expired_at === null && r.starts_at <= now && now < r.ends_at,
  };
}

export async function createSilence(pool: Pool, input: CreateSilenceInput, actor: Actor, opts: ActionOptions = {}): Promise<Silence> {
  const parsed = createSilenceSchema.safeParse(input);
  if (!parsed.success) throw new AlertError("invalid", parsed.error.issues.map((i) => `${i.path.join(".") || "silence"}: ${i.message}`).join("; "));
  const now = (opts.now ?? (() => new Date()))();
  const startsAt = parsed.data.startsAt ?? now;
  if (parsed.data.endsAt <= startsAt) throw new AlertError("invalid", "endsAt must be after startsAt");
  const out = await inTransaction(pool, async (c) => {
    const row = await one(
      c,
      silenceRowSchema,
      `INSERT INTO pgpulse.silences (matchers, starts_at, ends_at, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${SILENCE_COLUMNS}`,
      [parsed.data.matchers, startsAt, parsed.data.endsAt, parsed.data.reason, actor.name, now],
      "silence: create",
    );
    const silence = toSilence(row, now);
    await recordAudit(c, {
      actor,
      action: "silence.create",
      object: `silence:${silence.id}`,
      after: { matchers: silence.matchers, startsAt: startsAt.toISOString(), endsAt: silence.endsAt.toISOString(), reason: silence.reason },
      sourceAddress: opts.sourceAddress ?? null,
    });
    return silence;
  });
  noteAlertsChanged(pool);
  return out;
}

/** Ends a silence now. Expiring one that already ended or was expired is a conflict. */
export async function expireSilence(pool: Pool, id: number, actor: Actor, opts: ActionOptions = {}): Promise<Silence> {
  const now = (opts.now ?? (() => new Date()))();
  const out = await inTransaction(pool, async (c) => {
    const before = await maybeOne(c, silenceRowSchema, `SELECT ${SILENCE_COLUMNS} FROM pgpulse.silences WHERE id = $1 FOR UPDATE`, [id], "silence: lock");
    if (!before) throw new AlertError("not_found", `no silence ${id}`);
    if (before.expired_at !== null || before.ends_at <= now) throw new AlertError("conflict", `silence ${id} has already ended`);
    const row = await one(
      c,
      silenceRowSchema,
      `UPDATE pgpulse.silences SET expired_at = $2, expired_by = $3 WHERE id = $1 RETURNING ${SILENCE_COLUMNS}`,
      [id, now, actor.name],
      "silence: expire",
    );
    await recordAudit(c, {
      actor,
      action: "silence.expire",
      object: `silence:${id}`,
      before: { endsAt: before.ends_at.toISOString(), expiredAt: null },
      after: { expiredAt: now.toISOString(), expiredBy: actor.name },
      sourceAddress: opts.sourceAddress ?? null,
    });
    return toSilence(row, now);
  });
  noteAlertsChanged(pool);
  return out;
}

/** Silences, newest first; `active: true` keeps only those in force now. */
export async function listSilences(pool: Pool, filter: { active?: boolean; limit?: number } = {}, now: Date = new Date()): Promise<Silence[]> {
  const limit = Math.min(Math.max(filter.limit ?? 200, 1), 1000);
  const rows = await many(
    pool,
    silenceRowSchema,
    `SELECT ${SILENCE_COLUMNS} FROM pgpulse.silences
      WHERE NOT $1::boolean OR (expired_at IS NULL AND starts_at <= $2 AND ends_at > $2)
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [filter.active === true, now, limit],
    "silences: list",
  );
  return rows.map((r) => toSilence(r, now));
}
