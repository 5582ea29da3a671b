import { Pool as PgPool } from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configSchema } from "@/lib/config/schema";
import { createDeliveryWorker, type DeliveryWorkerOptions } from "./delivery";
import { createAlertEngine } from "./engine";
import { AlertError } from "./errors";
import { setUpAlertStore } from "@/test/support/alert-store";
import { clock, ok, startReceiver, type Receiver } from "@/test/support/alerts";
import { until } from "@/test/support/wait";

const GB = 1024 ** 3;

const { pool, url } = setUpAlertStore({ emptyBeforeEach: true });
const receivers: Receiver[] = [];
const logs: unknown[] = [];
const log = { info: (o: object) => logs.push(o), warn: (o: object) => logs.push(o), error: (o: object) => logs.push(o) };

beforeEach(() => {
  logs.length = 0;
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(port = 0) {
  const r = await startReceiver(port);
  receivers.push(r);
  return r;
}

function channelsFor(urls: Record<string, { url: string; type?: "webhook" | "slack" }>) {
  return configSchema.parse({ channels: Object.entries(urls).map(([id, c]) => ({ id, type: c.type ?? "webhook", url: c.url, minSeverity: "info" })) }).channels;
}

/** Fires (and optionally resolves) table_size alerts for `tables` through a real engine. */
async function fire(channels: ReturnType<typeof channelsFor>, tables: string[], resolve = false) {
  const c = clock();
  const config = configSchema.parse({ targets: [{ id: "prod", name: "Prod", url: "postgres://m@127.0.0.1/db" }], rules: { table_size: { severity: "critical" } } });
  const engine = createAlertEngine({ pool, config: { ...config, channels }, log, now: c.now });
  await engine.start();
  const rows = (bytes: number) => tables.map((relname) => ({ schemaname: "public", relname, total_bytes: bytes, parent: null, is_partitioned: false }));
  engine.accept(ok("table_stats", "prod", c.now(), rows(11 * GB)));
  await engine.idle();
  if (resolve) {
    c.advance(300);
    engine.accept(ok("table_stats", "prod", c.now(), rows(1 * GB)));
    await engine.idle();
  }
  await engine.stop();
}

const worker = (opts: Partial<DeliveryWorkerOptions> & Pick<DeliveryWorkerOptions, "channels">) =>
  createDeliveryWorker({ pool, log, timeoutMs: 2000, pollIntervalMs: 50, retry: { baseMs: 200, capMs: 1000 }, random: () => 1, ...opts });

const outbox = async () => (await pool.query(`SELECT id, channel_id, status, attempts, last_error, idempotency_key FROM pgpulse.notification_outbox ORDER BY id`)).rows;

describe("delivery worker", () => {
  it("delivers exactly one firing and one resolved message, in order, with a stable idempotency key", async () => {
    const hook = await receiver();
    const slack = await receiver();
    const channels = channelsFor({ hook: { url: hook.url }, slack: { url: slack.url, type: "slack" } });
    await fire(channels, ["birth_charts"], true);
    const w = worker({ channels });
    expect(await w.runOnce()).toEqual({ delivered: 4, retried: 0, failed: 0, dead: 0 });
    expect(await w.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0, dead: 0 });
    expect(hook.requests.map((r) => r.body.state)).toEqual(["firing", "resolved"]);
    for (const r of hook.requests) {
      expect(r.headers["idempotency-key"]).toBe(r.body.idempotencyKey);
      expect(r.headers["content-type"]).toBe("application/json");
    }
    expect(hook.requests[0].body).toMatchObject({ rule: "table_size", target: { id: "prod", name: "Prod" }, object: "public.birth_charts", severity: "critical", threshold: 10 * GB, value: 11 * GB });
    expect(slack.requests).toHaveLength(2);
    expect(slack.requests[0].body).toMatchObject({ text: expect.stringContaining("[FIRING] table_size · Prod"), blocks: expect.any(Array) });
    expect(slack.requests[1].body.text).toContain("[RESOLVED]");
    expect((await outbox()).map((o) => [o.status, o.attempts])).toEqual([["delivered", 1], ["delivered", 1], ["delivered", 1], ["delivered", 1]]);
  });

  it("retries a 500 with backoff and delivers once, keeping the key", async () => {
    const hook = await receiver();
    hook.respond = (_r, n) => ({ status: n === 1 ? 500 : 200 });
    const channels = channelsFor({ hook: { url: hook.url } });
    await fire(channels, ["users"]);
    const w = worker({ channels, retry: { baseMs: 1000, capMs: 5000 } });
    const t0 = Date.now();
    expect(await w.runOnce()).toMatchObject({ retried: 1, delivered: 0 });
    const [row] = (await pool.query(`SELECT next_attempt_at, status, last_error FROM pgpulse.notification_outbox`)).rows;
    expect(row.status).toBe("pending");
    expect(row.last_error).toBe("HTTP 500");
    // random() = 1 → the full first step: 1 s.
    expect(row.next_attempt_at.getTime() - t0).toBeGreaterThanOrEqual(1000);
    expect(row.next_attempt_at.getTime() - t0).toBeLessThan(2000);
    expect(await w.runOnce()).toMatchObject({ retried: 0, delivered: 0 }); // not due yet
    expect(hook.requests).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await w.runOnce()).toMatchObject({ delivered: 1 });
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[0].headers["idempotency-key"]).toBe(hook.requests[1].headers["idempotency-key"]);
    const attempts = (await pool.query(`SELECT status_code, error FROM pgpulse.notification_attempts ORDER BY id`)).rows;
    expect(attempts).toEqual([{ status_code: 500, error: "HTTP 500" }, { status_code: 200, error: null }]);
  });

  it("a receiver that was down gets the backlog when it comes up", async () => {
    const probe = await startReceiver();
    const port = probe.port;
    await probe.close();
    const channels = channelsFor({ hook: { url: `http://127.0.0.1:${port}/hook` } });
    await fire(channels, ["a", "b", "c"]);
    const w = worker({ channels });
    expect(await w.runOnce()).toMatchObject({ retried: 3 });
    expect((await outbox()).every((o) => o.status === "pending" && /ECONNREFUSED/.test(o.last_error))).toBe(true);
    const hook = await receiver(port);
    w.start();
    try {
      await until("every notification delivered", async () => (await outbox()).every((o) => o.status === "delivered"), 10_000);
    } finally {
      await w.stop();
    }
    expect(hook.requests.map((r) => r.body.object).sort()).toEqual(["public.a", "public.b", "public.c"]);
    // The secret URL is never logged.
    expect(JSON.stringify(logs)).not.toContain(`127.0.0.1:${port}`);
  });

  it("a slow receiver does not delay another channel", async () => {
    const slow = await receiver();
    slow.respond = () => ({ status: 200, delayMs: 5_000 });
    const fast = await receiver();
    const channels = channelsFor({ slow: { url: slow.url }, fast: { url: fast.url } });
    await fire(channels, ["t1", "t2"]);
    const w = worker({ channels, timeoutMs: 3000 });
    const started = Date.now();
    w.start();
    try {
      await until("both fast notifications delivered", async () => (await outbox()).filter((o) => o.channel_id === "fast" && o.status === "delivered").length === 2, 5_000, 10);
      // Both fast deliveries landed while the slow channel's first request was still hanging.
      expect(Date.now() - started).toBeLessThan(2500);
      expect(slow.requests).toHaveLength(1);
      expect((await outbox()).filter((o) => o.channel_id === "slow").map((o) => o.attempts)).toEqual([0, 0]);
      await until("a slow notification attempted", async () => (await outbox()).some((o) => o.channel_id === "slow" && o.attempts > 0), 5_000);
    } finally {
      await w.stop();
    }
    const rows = await outbox();
    expect(rows.filter((o) => o.channel_id === "fast").map((o) => o.status)).toEqual(["delivered", "delivered"]);
    const slowRow = rows.find((o) => o.channel_id === "slow" && o.attempts > 0)!;
    expect(slowRow).toMatchObject({ status: "pending", last_error: "timeout after 3000 ms" });
  });

  it("gives up: 404 fails at once, repeated 503 goes dead after maxAttempts", async () => {
    const gone = await receiver();
    gone.respond = () => ({ status: 404 });
    const busy = await receiver();
    busy.respond = () => ({ status: 503 });
    const channels = channelsFor({ gone: { url: gone.url }, busy: { url: busy.url } });
    await fire(channels, ["x"]);
    const w = worker({ channels, retry: { baseMs: 10, capMs: 10, maxAttempts: 3 } });
    for (let i = 0; i < 3; i++) {
      await w.runOnce();
      await new Promise((r) => setTimeout(r, 30));
    }
    const rows = await outbox();
    expect(rows.map((o) => [o.channel_id, o.status, o.attempts])).toEqual([
      ["gone", "failed", 1],
      ["busy", "dead", 3],
    ]);
    expect(gone.requests).toHaveLength(1);
    expect(busy.requests).toHaveLength(3);
  });

  it("two workers sharing the store deliver each message once", async () => {
    const hook = await receiver();
    hook.respond = () => ({ status: 200, delayMs: 20 });
    const channels = channelsFor({ hook: { url: hook.url } });
    await fire(channels, ["a", "b", "c", "d", "e", "f"]);
    const [c1, c2] = await Promise.all([worker({ channels }).runOnce(), worker({ channels }).runOnce()]);
    expect(c1.delivered + c2.delivered).toBe(6);
    expect(new Set(hook.requests.map((r) => r.body.idempotencyKey)).size).toBe(6);
    expect(hook.requests).toHaveLength(6);
  });

  it("six workers on their own connections deliver each message exactly once, in order, through refusals", async () => {
    const hook = await receiver();
    // Every third request is refused: rows go back to pending and are claimed again, by anyone.
    hook.respond = (_r, n) => ({ status: n % 3 === 0 ? 503 : 200, delayMs: 5 });
    const channels = channelsFor({ hook: { url: hook.url } });
    const tables = Array.from({ length: 20 }, (_, i) => `t${i}`);
    await fire(channels, tables, true);
    const pools = Array.from({ length: 6 }, () => new PgPool({ connectionString: url, max: 1 }));
    const workers = pools.map((p) => worker({ channels, pool: p, pollIntervalMs: 20, retry: { baseMs: 50, capMs: 200 }, random: Math.random }));
    try {
      workers.forEach((w) => w.start());
      await until("the outbox delivered", async () => (await pool.query("SELECT count(*)::int AS n FROM pgpulse.notification_outbox WHERE status <> 'delivered'")).rows[0].n === 0, 30_000);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await Promise.all(pools.map((p) => p.end()));
    }
    const accepted = hook.requests.filter((_r, i) => (i + 1) % 3 !== 0);
    const perKey = new Map<string, number>();
    for (const r of accepted) perKey.set(String(r.body.idempotencyKey), (perKey.get(String(r.body.idempotencyKey)) ?? 0) + 1);
    expect(perKey.size).toBe(tables.length * 2);
    expect([...perKey.values()].every((n) => n === 1)).toBe(true);
    expect(hook.requests.length).toBeGreaterThan(accepted.length);
    // Per alert, the resolution is never sent before its firing was accepted.
    for (const t of tables) {
      const firedAt = accepted.find((r) => r.body.object === `public.${t}` && r.body.state === "firing")!.at;
      const firstResolved = hook.requests.find((r) => r.body.object === `public.${t}` && r.body.state === "resolved")!.at;
      expect(firstResolved).toBeGreaterThanOrEqual(firedAt);
    }
  }, 60_000);

  it("a worker with a holder id sends only what its leases (or nobody's) cover", async () => {
    const hook = await receiver();
    const channels = channelsFor({ hook: { url: hook.url } });
    await fire(channels, ["a", "b"]);
    await pool.query("DELETE FROM pgpulse.leases");
    await pool.query("INSERT INTO pgpulse.leases (target_id, holder, holder_name, expires_at) VALUES ('prod', 'other', 'other', now() + interval '1 minute')");
    expect(await worker({ channels, holder: "me" }).runOnce()).toMatchObject({ delivered: 0 });
    expect(hook.requests).toHaveLength(0);
    // The holder's lease ends (it died): the rows are anyone's again.
    await pool.query("UPDATE pgpulse.leases SET expires_at = now()");
    expect(await worker({ channels, holder: "me" }).runOnce()).toMatchObject({ delivered: 2 });
    await pool.query("DELETE FROM pgpulse.leases");
  });

  it("sends a test notification without touching the outbox", async () => {
    const slack = await receiver();
    const channels = channelsFor({ slack: { url: slack.url, type: "slack" } });
    const w = worker({ channels });
    const res = await w.sendTestNotification("slack");
    expect(res).toMatchObject({ ok: true, statusCode: 200, error: null });
    expect(slack.requests[0].body.text).toContain("[TEST]");
    // No alert stands behind it: the text says so instead of printing a placeholder value.
    expect(slack.requests[0].body.text).toContain("a test, not an alert: no value, no threshold");
    expect(JSON.stringify(slack.requests[0].body)).not.toContain("n/a");
    expect(JSON.stringify(res)).not.toContain("127.0.0.1");
    await expect(w.sendTestNotification("nope")).rejects.toBeInstanceOf(AlertError);
    expect(await outbox()).toEqual([]);
  });
});
