import "server-only";
import type { Pool, PoolClient } from "pg";
import { z } from "zod";
import type { PgpulseConfig } from "@/lib/config/schema";
import { exec, many, one } from "@/lib/db/query";
import { inTransaction } from "@/lib/db/transaction";
import { confirmLeases, type FenceToken } from "@/lib/fleet/lease-store";
import { noteAlertsChanged } from "./changes";
import { alertLinks, buildSummary, type NotificationPayload } from "./payload";
import { resolveRule } from "./rules";
import { silencedBy } from "./silence-match";
import { openSilences } from "./store";
import { isRuleId, type Rule } from "./types";

/**
 * Closes open episodes that can no longer end by themselves: their target is gone for good
 * (its database dropped, found by discovery) or their rule was turned off. A firing one is
 * resolved, a pending one ends, each with an event saying why (`details.retired`). Nothing
 * recovered, but a receiver told of the firing must not keep its incident open forever: the
 * channels that were told get a `resolved` notification carrying `closedReason`, unless a silence
 * covers the alert now (as for any resolution). One transaction, like every alert write.
 *
 * With leases, `fence` is this instance's token for the target: the store must confirm it in
 * the same transaction (only the holder writes a target's alerts); null or unconfirmed closes
 * nothing and says `fenced`. Call it when no evaluation of the target's rules can interleave.
 */
export interface CloseRequest {
  targetId: string;
  targetName: string;
  /** The rules whose open episodes close; null: all of the target's. */
  rules: readonly string[] | null;
  /** Shown on the alert's history and in the notification: "database dropped", "rule turned off". */
  reason: string;
  /** Absent without leases; else the token this instance holds for the target, or null. */
  fence?: FenceToken | null;
}

export interface CloseContext {
  config: Pick<PgpulseConfig, "thresholds" | "rules" | "targets">;
  publicUrl: string;
  now: number;
}

export interface CloseOutcome {
  closed: number;
  fenced: boolean;
}

const closedRow = z.object({
  id: z.coerce.number(),
  rule: z.string(),
  object_key: z.string(),
  from_state: z.enum(["pending", "firing"]),
  to_state: z.enum(["resolved", "inactive"]),
  severity: z.enum(["info", "warning", "critical"]),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  since: z.date(),
  labels: z.record(z.string(), z.string()),
});
const channelRow = z.object({ channel_id: z.string() });
const idRow = z.object({ id: z.coerce.number().int() });

export async function closeOpenAlerts(pool: Pool, req: CloseRequest, ctx: CloseContext): Promise<CloseOutcome> {
  const outcome = await inTransaction(pool, async (client) => {
    if (req.fence !== undefined) {
      const confirmed = req.fence ? await confirmLeases(client, [req.fence]) : new Set<string>();
      if (!confirmed.has(req.targetId)) return { closed: 0, fenced: true };
    }
    const at = new Date(ctx.now);
    const rows = await many(
      client,
      closedRow,
      `WITH open AS (
         SELECT id, state FROM pgpulse.alerts
          WHERE target_id = $1 AND state IN ('pending', 'firing') AND ($2::text[] IS NULL OR rule = ANY($2))
          FOR UPDATE
       )
       UPDATE pgpulse.alerts a
          SET state = CASE WHEN open.state = 'firing' THEN 'resolved' ELSE 'inactive' END,
              resolved_at = $4, last_eval_at = $4, details = a.details || jsonb_build_object('retired', $3::text)
         FROM open WHERE a.id = open.id
       RETURNING a.id, a.rule, a.object_key, open.state AS from_state, a.state AS to_state, a.severity, a.value, a.threshold, a.since, a.labels`,
      [req.targetId, req.rules, req.reason, at],
      "alerts: close",
    );
    const silences = rows.some((r) => r.from_state === "firing") ? await openSilences(client, ctx.now) : [];
    for (const r of rows) {
      const silence = r.from_state === "firing" ? silencedBy(silences, { rule: r.rule, targetId: req.targetId, objectKey: r.object_key }, ctx.now) : null;
      const event = await one(
        client,
        idRow,
        `INSERT INTO pgpulse.alert_events (alert_id, at, from_state, to_state, details) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [r.id, at, r.from_state, r.to_state, { retired: req.reason, ...(silence === null ? {} : { silencedBy: silence }) }],
        "alerts: close event",
      );
      if (r.from_state === "firing" && silence === null) await queueClosedNotice(client, r, event.id, req, ctx);
    }
    return { closed: rows.length, fenced: false };
  });
  // After the commit: the alert list kept for viewers moves on (changes.ts).
  if (outcome.closed > 0) noteAlertsChanged(pool);
  return outcome;
}

/** The `resolved` message of a closed episode, to each channel told of its firing. */
async function queueClosedNotice(client: PoolClient, r: z.infer<typeof closedRow>, eventId: number, req: CloseRequest, ctx: CloseContext): Promise<void> {
  const told = await many(
    client,
    channelRow,
    `SELECT DISTINCT channel_id FROM pgpulse.notification_outbox WHERE alert_id = $1 AND payload->>'state' = 'firing'`,
    [r.id],
    "alerts: channels told of the firing",
  );
  // An id the registry no longer knows has no rule to phrase it with: a plain sentence.
  const rule: Rule | null = isRuleId(r.rule) ? resolveRule(r.rule, ctx.config, req.targetId) : null;
  const summary = rule
    ? buildSummary({ ...rule, threshold: r.threshold ?? rule.threshold }, { state: "resolved", closed: req.reason }, req.targetName, r.object_key, { value: r.value })
    : `Closed without recovery (${req.reason}): ${r.rule} on ${req.targetName} (${r.object_key})`;
  for (const { channel_id: channelId } of told) {
    const key = `pgpulse-${r.id}-resolved-${channelId}`;
    const payload: NotificationPayload = {
      idempotencyKey: key,
      rule: r.rule,
      target: { id: req.targetId, name: req.targetName },
      object: r.object_key,
      state: "resolved",
      value: r.value,
      threshold: r.threshold ?? rule?.threshold ?? 0,
      since: r.since.toISOString(),
      severity: r.severity,
      labels: r.labels,
      summary,
      links: alertLinks(ctx.publicUrl, r.id, req.targetId),
      closedReason: req.reason,
    };
    await exec(
      client,
      `INSERT INTO pgpulse.notification_outbox (alert_id, event_id, channel_id, idempotency_key, payload, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING`,
      [r.id, eventId, channelId, key, payload, new Date(ctx.now)],
    );
  }
}
