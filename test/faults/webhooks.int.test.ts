import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listNotifications, type NotificationRecord } from "@/lib/alerts/read";
import { startReceiver, type Receiver } from "@/test/support/alerts";
import { freePort } from "@/lib/embedded/postgres";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { faultConfig, startFaultPgpulse, until } from "./support";

// Fault 9: webhook receivers that are down, slow (30 s, past the worker's 10 s timeout) or
// answer 500. Each failure is retried with backoff and visible per notification
// (listNotifications: status, attempts, last error, attempt log); the healthy channel gets its
// message at once, whatever the others do.

const SLOW_MS = 30_000;
const WORKER_TIMEOUT_MS = 10_000; // the delivery worker's default per-request timeout

let target: TestDatabase;
let storeDb: TestDatabase;
let rt: Pgpulse;
let ok: Receiver;
let slow: Receiver;
let err: Receiver;
let storeRead: pg.Pool;

beforeAll(async () => {
  [target, storeDb, ok, slow, err] = await Promise.all([
    createTestDatabase(17, "fault_hook_target"),
    createTestDatabase(17, "fault_hook_store"),
    startReceiver(),
    startReceiver(),
    startReceiver(),
  ]);
  slow.respond = () => ({ status: 200, delayMs: SLOW_MS });
  err.respond = () => ({ status: 500 });
  const downPort = await freePort(); // nothing listens there
  const t = new pg.Client({ connectionString: target.url });
  await t.connect();
  await t.query("CREATE TABLE big_enough (id int); INSERT INTO big_enough SELECT generate_series(1, 100)");
  await t.end();
  storeRead = new pg.Pool({ connectionString: storeDb.url, max: 1 });
  rt = await startFaultPgpulse({
    config: faultConfig({
      // Any table is "too large": table_size fires on the first table_stats run.
      targets: [{ id: "t", name: "Target", url: target.url, thresholds: { tableSizeBytes: 1 } }],
      channels: [
        { id: "ok", type: "webhook", url: ok.url },
        { id: "slow", type: "webhook", url: slow.url },
        { id: "err", type: "webhook", url: err.url },
        { id: "down", type: "webhook", url: `http://127.0.0.1:${downPort}/hook` },
      ],
    }),
    storeUrl: storeDb.url,
  });
});

afterAll(async () => {
  await rt?.stop();
  await storeRead?.end();
  await Promise.allSettled([ok, slow, err].map((r) => r?.close()));
  await target?.drop();
  await storeDb?.drop();
});

describe("webhook receivers down, slow and failing", () => {
  it("retries with backoff, shows each delivery status, and never delays the healthy channel", async () => {
    const alertId = await until("table_size firing", async () => {
      const { rows } = await storeRead.query<{ id: number; fired_at: Date }>("SELECT id, fired_at FROM pgpulse.alerts WHERE rule = 'table_size' AND object_key = 'public.big_enough' AND state = 'firing'");
      return rows[0]?.id;
    });
    const byChannel = async () => new Map((await listNotifications(storeRead, alertId)).map((n) => [n.channelId, n] as [string, NotificationRecord]));

    // The healthy channel is served while the slow receiver still holds its request.
    await until("delivered to the healthy channel", async () => (await byChannel()).get("ok")?.status === "delivered", 10_000);
    const okRow = (await byChannel()).get("ok")!;
    expect(okRow.attempts).toBe(1);
    expect(okRow.deliveredAt!.getTime() - okRow.createdAt.getTime()).toBeLessThan(5_000);
    expect(ok.requests.map((r) => r.headers["idempotency-key"])).toEqual([okRow.idempotencyKey]);
    // The slow receiver got its request (each channel polls on its own) and still holds it.
    await until("the slow receiver holding a request", () => slow.requests.length === 1, 5_000);
    expect((await byChannel()).get("slow")!.attemptLog).toEqual([]);
    expect((await byChannel()).get("ok")!.status).toBe("delivered");

    // 500: retried after a backoff of 2.5–5 s (5 s base, half of it jittered).
    await until("two attempts on the failing receiver", async () => ((await byChannel()).get("err")?.attempts ?? 0) >= 2, 15_000);
    const e = (await byChannel()).get("err")!;
    expect(e.status).toBe("pending");
    expect(e.lastError).toBe("HTTP 500");
    expect(e.attemptLog.map((a) => a.statusCode)).toEqual(Array(e.attemptLog.length).fill(500));
    const gap = e.attemptLog[1].at.getTime() - e.attemptLog[0].at.getTime();
    expect(gap).toBeGreaterThanOrEqual(2_500 - 100);
    expect(e.nextAttemptAt.getTime()).toBeGreaterThan(e.attemptLog.at(-1)!.at.getTime());
    expect(new Set(err.requests.map((r) => r.headers["idempotency-key"]))).toEqual(new Set([e.idempotencyKey]));

    // Down: a network error, retried.
    const d = (await byChannel()).get("down")!;
    expect(d.status).toBe("pending");
    expect(d.attempts).toBeGreaterThanOrEqual(1);
    expect(d.lastError).toMatch(/fetch failed|ECONNREFUSED/i);
    expect(d.attemptLog[0].statusCode).toBeNull();

    // Slow: the worker gives up at its timeout and schedules a retry.
    await until("the slow attempt timed out", async () => ((await byChannel()).get("slow")?.attempts ?? 0) >= 1, WORKER_TIMEOUT_MS + 5_000);
    const s = (await byChannel()).get("slow")!;
    expect(s.status).toBe("pending");
    expect(s.lastError).toBe(`timeout after ${WORKER_TIMEOUT_MS} ms`);
    expect(s.attemptLog[0].durationMs).toBeGreaterThanOrEqual(WORKER_TIMEOUT_MS - 100);
    expect(s.attemptLog[0].durationMs).toBeLessThan(SLOW_MS);
    // …and the healthy channel still got exactly one message.
    expect(ok.requests.length).toBe(1);
  }, 60_000);
});
