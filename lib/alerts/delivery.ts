import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { exec, many } from "@/lib/db/query";
import { backoffDelayMs, DEFAULT_RETRY, isRetryableStatus, shouldGiveUp, type RetryPolicy } from "./backoff";
import { AlertError } from "./errors";
import { defaultLog, safeError, type AlertLog } from "./log";
import { channelBody, type NotificationPayload } from "./payload";
import type { ChannelConfig } from "./routing";

// Delivers the notification outbox, at least once. Each channel has its own loop, so a slow or
// dead receiver only delays its own messages. A row is claimed with FOR UPDATE SKIP LOCKED and a
// lease (locked_until) instead of a transaction held open across the HTTP call: several pgpulse
// processes can share the store, and a row whose worker died is retried when the lease ends.
// Within a channel, an alert's messages go out in order (a resolution never overtakes its firing).

export interface DeliveryWorkerOptions {
  pool: Pool;
  channels: ChannelConfig[];
  log?: AlertLog;
  now?: () => number;
  fetch?: typeof fetch;
  /** Sleep between polls of an idle channel. */
  pollIntervalMs?: number;
  /** Per-request timeout; a receiver slower than this counts as a failed attempt. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
  /**
   * With several instances on one store: this instance's id. It then sends the notifications of
   * the targets it holds (and of targets nobody holds), so delivery follows the lease; rows
   * still go to exactly one worker at a time by the SKIP LOCKED claim either way.
   */
  holder?: string;
  /** Told every outcome (delivered, retried, failed, dead), e.g. for /api/metrics. */
  onOutcome?(channelId: string, outcome: keyof RunCounts): void;
}

export interface DeliveryAttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface RunCounts {
  delivered: number;
  retried: number;
  failed: number;
  dead: number;
}

export interface DeliveryWorker {
  start(): void;
  stop(): Promise<void>;
  /** One pass over every channel (each until nothing is due); for tests and manual runs. */
  runOnce(): Promise<RunCounts>;
  sendTestNotification(channelId: string): Promise<DeliveryAttemptResult>;
}

const claimed = z.object({
  id: z.coerce.number(),
  idempotency_key: z.string(),
  payload: z.record(z.string(), z.unknown()),
  attempts: z.number(),
  created_at: z.date(),
});

export function createDeliveryWorker(opts: DeliveryWorkerOptions): DeliveryWorker {
  const log = opts.log ?? defaultLog("alerts.delivery");
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const pollMs = opts.pollIntervalMs ?? 2_000;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
  const random = opts.random ?? Math.random;
  // The lease outlives the request timeout, so a live worker never loses its row mid-send.
  const leaseMs = timeoutMs + 30_000;
  let stopped = true;
  const loops: Promise<void>[] = [];
  const sleepers = new Set<() => void>();

  async function post(channel: ChannelConfig, payload: NotificationPayload): Promise<DeliveryAttemptResult> {
    const started = performance.now();
    try {
      const res = await doFetch(channel.url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": payload.idempotencyKey, "user-agent": "pgpulse" },
        body: JSON.stringify(channelBody(channel.type, payload)),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
      await res.arrayBuffer().catch(() => undefined);
      const ok = res.status >= 200 && res.status < 300;
      return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}`, durationMs: performance.now() - started };
    } catch (e) {
      const name = (e as Error)?.name;
      const error = name === "TimeoutError" || name === "AbortError" ? `timeout after ${timeoutMs} ms` : safeError(e);
      return { ok: false, statusCode: null, error, durationMs: performance.now() - started };
    }
  }

  async function claim(channelId: string) {
    const at = now();
    const rows = await many(
      opts.pool,
      claimed,
      `UPDATE pgpulse.notification_outbox o SET locked_until = $3
        WHERE o.id = (
          SELECT c.id FROM pgpulse.notification_outbox c
           WHERE c.channel_id = $1 AND c.status = 'pending' AND c.next_attempt_at <= $2
             AND (c.locked_until IS NULL OR c.locked_until <= $2)
             AND ($4::text IS NULL OR NOT EXISTS (
                   SELECT 1 FROM pgpulse.alerts a JOIN pgpulse.leases l ON l.target_id = a.target_id
                    WHERE a.id = c.alert_id AND l.holder <> $4 AND l.expires_at > now()))
             AND NOT EXISTS (SELECT 1 FROM pgpulse.notification_outbox p
                              WHERE p.channel_id = c.channel_id AND p.alert_id = c.alert_id
                                AND p.id < c.id AND p.status = 'pending')
           ORDER BY c.id
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING o.id, o.idempotency_key, o.payload, o.attempts, o.created_at`,
      [channelId, new Date(at), new Date(at + leaseMs), opts.holder ?? null],
      "outbox: claim",
    );
    return rows[0] ?? null;
  }

  async function record(row: z.infer<typeof claimed>, result: DeliveryAttemptResult, channelId: string): Promise<keyof RunCounts> {
    const at = now();
    const attempts = row.attempts + 1;
    let status: "delivered" | "pending" | "failed" | "dead";
    let next: number | null = null;
    if (result.ok) status = "delivered";
    else if (result.statusCode !== null && !isRetryableStatus(result.statusCode)) status = "failed";
    else if (shouldGiveUp(attempts, row.created_at.getTime(), at, retry)) status = "dead";
    else {
      status = "pending";
      next = at + backoffDelayMs(attempts, retry, random);
    }
    await exec(
      opts.pool,
      `WITH attempt AS (
         INSERT INTO pgpulse.notification_attempts (outbox_id, at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)
       )
       UPDATE pgpulse.notification_outbox
          SET status = $6, attempts = $7, next_attempt_at = COALESCE($8, next_attempt_at), last_error = $4,
              delivered_at = CASE WHEN $6 = 'delivered' THEN $2 ELSE delivered_at END, locked_until = NULL
        WHERE id = $1`,
      [row.id, new Date(at), result.statusCode, result.error, result.durationMs, status, attempts, next === null ? null : new Date(next)],
    );
    if (status === "delivered" && row.attempts > 0) {
      // The receiver is back: its backlog need not wait out each row's backoff.
      await exec(
        opts.pool,
        `UPDATE pgpulse.notification_outbox SET next_attempt_at = $2 WHERE channel_id = $1 AND status = 'pending' AND next_attempt_at > $2`,
        [channelId, new Date(at)],
      );
    }
    if (status !== "delivered") log.warn({ channel: channelId, outboxId: row.id, attempts, status, error: result.error }, "notification not delivered");
    return status === "delivered" ? "delivered" : status === "pending" ? "retried" : status;
  }

  /** Sends everything due on one channel; returns the counts. */
  async function drainChannel(channel: ChannelConfig, counts: RunCounts): Promise<void> {
    for (;;) {
      if (stopped && loops.length) return;
      const row = await claim(channel.id);
      if (!row) return;
      const result = await post(channel, row.payload as unknown as NotificationPayload);
      const outcome = await record(row, result, channel.id);
      counts[outcome]++;
      opts.onOutcome?.(channel.id, outcome);
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });
  }

  async function loop(channel: ChannelConfig) {
    while (!stopped) {
      try {
        await drainChannel(channel, { delivered: 0, retried: 0, failed: 0, dead: 0 });
      } catch (e) {
        log.error({ channel: channel.id, err: safeError(e) }, "outbox poll failed");
      }
      if (!stopped) await sleep(pollMs);
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      for (const c of opts.channels) loops.push(loop(c));
    },
    async stop() {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await Promise.allSettled(loops);
      loops.length = 0;
    },
    async runOnce() {
      const counts: RunCounts = { delivered: 0, retried: 0, failed: 0, dead: 0 };
      await Promise.all(opts.channels.map((c) => drainChannel(c, counts)));
      return counts;
    },
    async sendTestNotification(channelId: string) {
      const channel = opts.channels.find((c) => c.id === channelId);
      if (!channel) throw new AlertError("not_found", `no channel "${channelId}"`);
      const at = new Date(now()).toISOString();
      const payload: NotificationPayload = {
        idempotencyKey: `pgpulse-test-${channelId}-${now()}`,
        rule: "test",
        target: { id: "pgpulse", name: "pgpulse" },
        object: "test",
        state: "firing",
        value: null,
        threshold: 0,
        since: at,
        severity: channel.minSeverity,
        labels: {},
        // No alert stands behind a test: say so, rather than print an empty value and threshold.
        summary: `Test notification from pgpulse to channel ${channelId} (a test, not an alert: no value, no threshold)`,
        links: { alert: "/alerts", target: "/" },
        test: true,
      };
      const result = await post(channel, payload);
      log.info({ channel: channelId, ok: result.ok, statusCode: result.statusCode, error: result.error }, "test notification");
      return result;
    },
  };
}
