import "server-only";
import type { Pool, PoolClient } from "pg";
import { z } from "zod";
import { exec, many, one } from "@/lib/db/query";
import { inTransaction } from "@/lib/db/transaction";
import { confirmLeases, type FenceToken } from "@/lib/fleet/lease-store";
import { alertLinks, buildSummary, type NotificationPayload } from "./payload";
import { routeChannels, type ChannelConfig } from "./routing";
import { silencedBy, type SilenceWindow } from "./silence-match";
import type { InstanceState, Observation, Rule, Transition } from "./types";

// Persistence of alert state. A transition, its event row and its outbox rows are written in
// one transaction: either the store knows the alert fired and the notification is queued, or
// neither happened and the next evaluation tries again. Nothing is sent from here.

const openRow = z.object({
  id: z.coerce.number(),
  rule: z.string(),
  target_id: z.string(),
  object_key: z.string(),
  state: z.enum(["pending", "firing"]),
  severity: z.enum(["info", "warning", "critical"]),
  since: z.date(),
  fired_at: z.date().nullable(),
  last_bad_at: z.date().nullable(),
  value: z.number().nullable(),
});

export type OpenAlertRow = z.infer<typeof openRow>;

/**
 * The open (pending or firing) episodes: what a starting engine resumes from, or, for one
 * target, what an instance that has just taken its lease carries on with.
 */
export async function loadOpenAlerts(pool: Pool, targetId: string | null = null): Promise<OpenAlertRow[]> {
  return many(
    pool,
    openRow,
    `SELECT id, rule, target_id, object_key, state, severity, since, fired_at, last_bad_at, value
       FROM pgpulse.alerts WHERE state IN ('pending', 'firing') AND ($1::text IS NULL OR target_id = $1) ORDER BY id`,
    [targetId],
    "alerts: open",
  );
}

export interface TransitionWrite {
  rule: Rule;
  targetId: string;
  targetName: string;
  objectKey: string;
  /** The open episode's id; null when the first event starts a new one. */
  alertId: number | null;
  observation: Observation | null;
  next: InstanceState;
  events: Transition[];
}

export interface TouchWrite {
  alertId: number;
  targetId: string;
  value: number | null;
  lastBadAt: number | null;
}

export interface WriteContext {
  channels: ChannelConfig[];
  publicUrl: string;
  now: number;
  /**
   * With several instances: the lease token this instance holds for a target, or null. Writes
   * about a target whose lease the store does not confirm (taken over, or never ours) are left out.
   */
  fence?: (targetId: string) => FenceToken | null;
}

export interface WriteOutcome {
  /** The alert id of every written transition, in order; null where its target was fenced. */
  ids: Array<number | null>;
  /** Targets whose writes were refused because this instance no longer holds their lease. */
  fenced: Set<string>;
}

async function fencedTargets(client: PoolClient, targetIds: Iterable<string>, fence: WriteContext["fence"]): Promise<Set<string>> {
  const fenced = new Set<string>();
  if (!fence) return fenced;
  const tokens: FenceToken[] = [];
  for (const id of new Set(targetIds)) {
    const token = fence(id);
    if (token) tokens.push(token);
    else fenced.add(id);
  }
  const confirmed = await confirmLeases(client, tokens);
  for (const t of tokens) if (!confirmed.has(t.targetId)) fenced.add(t.targetId);
  return fenced;
}

const silenceRow = z.object({
  id: z.coerce.number(),
  matchers: z.object({ rule: z.string().optional(), target: z.string().optional(), objectPattern: z.string().optional() }),
  starts_at: z.date(),
  ends_at: z.date(),
  expired_at: z.date().nullable(),
});

/** The silences in force at `now`: what a resolution or firing is checked against. */
export async function openSilences(client: PoolClient, now: number): Promise<SilenceWindow[]> {
  const rows = await many(
    client,
    silenceRow,
    `SELECT id, matchers, starts_at, ends_at, expired_at FROM pgpulse.silences
      WHERE expired_at IS NULL AND starts_at <= $1 AND ends_at > $1`,
    [new Date(now)],
    "silences: open",
  );
  return rows.map((r) => ({ id: r.id, matchers: r.matchers, startsAt: r.starts_at, endsAt: r.ends_at, expiredAt: r.expired_at }));
}

const idRow = z.object({ id: z.coerce.number().int() });
const channelRow = z.object({ channel_id: z.string() });

const d = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * Writes the transitions (and refreshes the value of open episodes) in one transaction, after
 * checking the lease of each target they are about (when fenced).
 */
export async function writeTransitions(pool: Pool, writes: TransitionWrite[], allTouches: TouchWrite[], ctx: WriteContext): Promise<WriteOutcome> {
  return inTransaction(pool, async (client) => {
    const fenced = await fencedTargets(client, [...writes.map((w) => w.targetId), ...allTouches.map((t) => t.targetId)], ctx.fence);
    const silences = writes.length ? await openSilences(client, ctx.now) : [];
    const ids: Array<number | null> = [];
    for (const w of writes) ids.push(fenced.has(w.targetId) ? null : await writeOne(client, w, silences, ctx));
    const touches = allTouches.filter((t) => !fenced.has(t.targetId));
    if (touches.length) {
      await exec(
        client,
        `UPDATE pgpulse.alerts a SET value = t.value, last_bad_at = COALESCE(t.last_bad_at, a.last_bad_at), last_eval_at = $4
           FROM unnest($1::bigint[], $2::float8[], $3::timestamptz[]) AS t(id, value, last_bad_at)
          WHERE a.id = t.id AND a.state IN ('pending', 'firing')`,
        [touches.map((t) => t.alertId), touches.map((t) => t.value), touches.map((t) => d(t.lastBadAt)), new Date(ctx.now)],
      );
    }
    return { ids, fenced };
  });
}

async function writeOne(client: PoolClient, w: TransitionWrite, silences: SilenceWindow[], ctx: WriteContext): Promise<number> {
  let alertId = w.alertId;
  const labels = { ...w.rule.labels, ...(w.observation?.labels ?? {}) };
  for (const ev of w.events) {
    if (ev.from === "inactive") {
      const inserted = await one(
        client,
        idRow,
        `INSERT INTO pgpulse.alerts (rule, target_id, object_key, labels, state, severity, value, threshold, since,
                                     fired_at, last_eval_at, last_bad_at, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
        [w.rule.id, w.targetId, w.objectKey, labels, ev.to, ev.severity ?? w.rule.severity, ev.value, w.rule.threshold, new Date(ev.at),
          ev.to === "firing" ? new Date(ev.at) : null, new Date(ev.at), new Date(ev.at), w.observation?.details ?? {}],
        "alerts: open episode",
      );
      alertId = inserted.id;
    } else {
      if (alertId === null) throw new Error(`alert transition ${ev.from} → ${ev.to} without an open episode`);
      const updated = await exec(
        client,
        `UPDATE pgpulse.alerts
            SET state = $2, value = COALESCE($3, value), last_eval_at = $4,
                fired_at = CASE WHEN $2 = 'firing' AND $7 <> 'firing' THEN $4 ELSE fired_at END,
                resolved_at = CASE WHEN $2 IN ('resolved', 'inactive') THEN $4 ELSE resolved_at END,
                last_bad_at = COALESCE($5, last_bad_at),
                details = CASE WHEN $6::jsonb IS NULL THEN details ELSE $6::jsonb END,
                severity = COALESCE($8, severity)
          WHERE id = $1 AND state = $7`,
        [alertId, ev.to, ev.value, new Date(ev.at), d(w.next.lastBadAt), w.observation ? w.observation.details : null, ev.from, ev.severity ?? null],
      );
      // The guard on the old state catches a second process writing the same instance.
      if (updated !== 1) throw new Error(`alert ${alertId} is no longer ${ev.from}`);
    }
    const notify = ev.to === "firing" || (ev.from === "firing" && ev.to === "resolved");
    const silence = notify ? silencedBy(silences, { rule: w.rule.id, targetId: w.targetId, objectKey: w.objectKey }, ev.at) : null;
    const event = await one(
      client,
      idRow,
      `INSERT INTO pgpulse.alert_events (alert_id, at, from_state, to_state, value, details) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [alertId, new Date(ev.at), ev.from, ev.to, ev.value, { ...(ev.severity ? { severity: ev.severity } : {}), ...(silence === null ? {} : { silencedBy: silence }) }],
      "alerts: event",
    );
    if (!notify || silence !== null) continue;
    const state = ev.to === "firing" ? "firing" : "resolved";
    // An escalation is told as a firing at its new severity, under its own key: the first
    // firing's key is taken, and a receiver must not drop it as a duplicate.
    const escalated = ev.from === "firing" && ev.to === "firing";
    const severity = ev.severity ?? w.next.severity ?? w.rule.severity;
    // A resolution goes to the channels that were told about the firing, and only those.
    const channelIds =
      state === "firing"
        ? routeChannels(ctx.channels, { severity, targetId: w.targetId }, w.rule.channels)
        : (
            await many(
              client,
              channelRow,
              `SELECT DISTINCT channel_id FROM pgpulse.notification_outbox WHERE alert_id = $1 AND payload->>'state' = 'firing'`,
              [alertId],
              "alerts: channels told of the firing",
            )
          ).map((r) => r.channel_id);
    for (const channelId of channelIds) {
      const key = `pgpulse-${alertId}-${escalated ? "escalated" : state}-${channelId}`;
      const payload: NotificationPayload = {
        idempotencyKey: key,
        rule: w.rule.id,
        target: { id: w.targetId, name: w.targetName },
        object: w.objectKey,
        state,
        value: ev.value ?? w.next.value,
        threshold: w.rule.threshold,
        since: new Date(w.next.since ?? ev.at).toISOString(),
        severity,
        labels,
        summary: buildSummary(w.rule, { state, escalated }, w.targetName, w.objectKey, { value: ev.value ?? w.next.value, forced: w.observation?.forced }),
        links: alertLinks(ctx.publicUrl, alertId!, w.targetId),
      };
      await exec(
        client,
        `INSERT INTO pgpulse.notification_outbox (alert_id, event_id, channel_id, idempotency_key, payload, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING`,
        [alertId, event.id, channelId, key, payload, new Date(ctx.now)],
      );
    }
  }
  return alertId!;
}
