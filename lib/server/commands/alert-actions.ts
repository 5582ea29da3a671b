import "server-only";
import type { Pool } from "pg";
import type { z } from "zod";
import { acknowledge, createSilence, expireSilence } from "@/lib/alerts/actions";
import type { ackResponseSchema, silenceCreateSchema, silenceResponseSchema } from "@/lib/api/alerts";
import type { TestNotificationResponse } from "@/lib/api/settings";
import { recordAudit } from "@/lib/auth/audit";
import type { Actor } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import { SILENCE_MAX_MS } from "@/lib/limits";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { viewOptions, type AlertSource } from "@/lib/server/views/alerts-read";
import { toAlertView, toSilenceView } from "@/lib/server/views/alerts-view";

// What responders and admins change from the alert pages. Each change is audited with the
// caller's address (lib/alerts/actions.ts commits change and audit row together); a refusal is
// an AlertError, which the route answers with its status.

type AckResponse = z.infer<typeof ackResponseSchema>;
type SilenceResponse = z.infer<typeof silenceResponseSchema>;

/** Acknowledges an open alert with a comment; answers with the alert as the caller reads it. */
export async function ackAlert(src: AlertSource, actor: Actor, id: number, comment: string, source: string | null): Promise<AckResponse> {
  const alert = await acknowledge(src.store.pool, id, actor, comment, { sourceAddress: source });
  return { alert: toAlertView(alert, await viewOptions(src, actor.role)) };
}

/** A maintenance window: it must end in the future and last at most SILENCE_MAX_MS. */
export async function addSilence(
  pool: Pool,
  actor: Actor,
  body: z.output<typeof silenceCreateSchema>,
  source: string | null,
  now = Date.now(),
): Promise<SilenceResponse> {
  const endsAt = Date.parse(body.endsAt);
  if (endsAt <= now) throw new DomainError(400, "invalid endsAt: must be in the future", { param: "endsAt" });
  // A forgotten silence must not mute a target for good.
  if (endsAt - now > SILENCE_MAX_MS) throw new DomainError(400, "invalid endsAt: a silence lasts at most 30 days", { param: "endsAt" });
  const silence = await createSilence(pool, { matchers: body.matchers, endsAt: new Date(endsAt), reason: body.reason }, actor, {
    sourceAddress: source,
    now: () => new Date(now),
  });
  return { silence: toSilenceView(silence) };
}

/** Ends a silence now. */
export async function endSilence(pool: Pool, actor: Actor, id: number, source: string | null): Promise<SilenceResponse> {
  return { silence: toSilenceView(await expireSilence(pool, id, actor, { sourceAddress: source })) };
}

/** One test message to one channel, sent now, outside the outbox. */
export async function testChannel(rt: Pick<Runtime, "delivery" | "store">, actor: Actor, channelId: string, source: string | null): Promise<TestNotificationResponse> {
  const result = await rt.delivery.sendTestNotification(channelId);
  const at = new Date();
  // It reaches an outside system in pgpulse's name, so it is recorded like any other action.
  await recordAudit(rt.store.pool, {
    actor,
    action: "channel.test",
    object: `channel:${channelId}`,
    after: { ok: result.ok, statusCode: result.statusCode, error: result.error },
    sourceAddress: source,
  });
  return { channelId, ok: result.ok, statusCode: result.statusCode, error: result.error, at: at.toISOString() };
}
