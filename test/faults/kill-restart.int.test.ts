import { writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "@/test/support/alerts";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { isAlive, removeRoot, startChildPgpulse, tempRoot, until, type ChildPgpulse } from "./support";

// Fault 8: pgpulse SIGKILLed while alerts are firing and their notifications are being retried,
// then started again on the same store. Alert state, history and the outbox come back: the same
// episodes stay firing (no second firing, no second event), every notification is delivered,
// and the receiver accepts each (alert, state) exactly once — by idempotency key.

const TABLES = ["charts_a", "charts_b", "charts_c"];

let root: string;
let target: TestDatabase;
let storeDb: TestDatabase;
let receiver: Receiver;
let storeRead: pg.Pool;
const children: ChildPgpulse[] = [];

beforeAll(async () => {
  root = await tempRoot("kill");
  [target, storeDb, receiver] = await Promise.all([createTestDatabase(17, "fault_kill_target"), createTestDatabase(17, "fault_kill_store"), startReceiver()]);
  const c = new pg.Client({ connectionString: target.url });
  await c.connect();
  for (const t of TABLES) await c.query(`CREATE TABLE ${t} (id int); INSERT INTO ${t} SELECT generate_series(1, 50)`);
  await c.end();
  storeRead = new pg.Pool({ connectionString: storeDb.url, max: 1 });
});

afterAll(async () => {
  for (const ch of children) if (isAlive(ch.pid)) process.kill(ch.pid, "SIGKILL");
  await storeRead?.end();
  await receiver?.close();
  await target?.drop();
  await storeDb?.drop();
  await removeRoot(root);
});

async function start(): Promise<ChildPgpulse> {
  const configPath = path.join(root, "pgpulse.config.json");
  await writeFile(
    configPath,
    JSON.stringify({
      targets: [{ id: "t", name: "Target", url: target.url, thresholds: { tableSizeBytes: 1 } }],
      channels: [{ id: "hook", type: "webhook", url: receiver.url }],
    }),
  );
  const child = startChildPgpulse({
    PGPULSE_CONFIG: configPath,
    PGPULSE_STORE_URL: storeDb.url,
    PGPULSE_DATA_DIR: path.join(root, "data"),
    PGPULSE_INTERVALS: JSON.stringify({ table_stats: 1000, stat_activity: 1000, server: 1000 }),
  });
  children.push(child);
  await child.ready;
  return child;
}

const answers: Array<{ key: string; state: unknown; status: number }> = [];
function answer(r: { headers: Record<string, unknown>; body: Record<string, unknown> }, status: number) {
  answers.push({ key: String(r.headers["idempotency-key"]), state: r.body.state, status });
  return { status };
}

const q = async <T extends pg.QueryResultRow>(sql: string) => (await storeRead.query<T>(sql)).rows;

describe("pgpulse killed mid-firing and restarted", () => {
  it("keeps alert state, history and outbox; each notification accepted exactly once", async () => {
    // The receiver refuses at first, so notifications are queued and retried when the kill comes.
    receiver.respond = (r) => answer(r, 503);
    const first = await start();
    await until(
      "all three alerts firing with a failed delivery attempt each",
      async () => (await q<{ n: number }>("SELECT count(*)::int AS n FROM pgpulse.notification_outbox WHERE status = 'pending' AND attempts >= 1"))[0].n === TABLES.length,
      30_000,
    );
    process.kill(first.pid, "SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    // Really gone: no pgpulse process left to deliver or evaluate behind the test's back.
    expect(isAlive(first.pid)).toBe(false);

    const alertsBefore = await q<{ id: number; object_key: string; state: string }>("SELECT id, object_key, state FROM pgpulse.alerts WHERE rule = 'table_size' ORDER BY id");
    expect(alertsBefore.map((a) => [a.object_key, a.state])).toEqual(TABLES.map((t) => [`public.${t}`, "firing"]));

    receiver.respond = (r) => answer(r, 200);
    const second = await start();
    await until("every queued notification delivered", async () => (await q<{ n: number }>("SELECT count(*)::int AS n FROM pgpulse.notification_outbox WHERE status <> 'delivered'"))[0].n === 0 && receiver.requests.some((r) => r.body.state === "firing"), 40_000);

    // The restarted engine resumed the same episodes: no new alert, no second firing event.
    // It collects table_stats every second, so by now it has evaluated them several times.
    await until("table_stats evaluated after the restart", () => second.lines.filter((l) => (l.accepted as { metric: string } | undefined)?.metric === "table_stats").length >= 3, 15_000);
    const alertsAfter = await q<{ id: number; object_key: string; state: string }>("SELECT id, object_key, state FROM pgpulse.alerts WHERE rule = 'table_size' ORDER BY id");
    expect(alertsAfter).toEqual(alertsBefore);
    const events = await q<{ alert_id: number; t: string }>("SELECT alert_id, from_state || '>' || to_state AS t FROM pgpulse.alert_events ORDER BY id");
    expect(events.map((e) => e.t)).toEqual(TABLES.map(() => "inactive>firing"));
    expect((await q<{ n: number }>("SELECT count(*)::int AS n FROM pgpulse.notification_outbox"))[0].n).toBe(TABLES.length);

    // Now one alert resolves under the restarted process: its resolution is sent once too.
    const c = new pg.Client({ connectionString: target.url });
    await c.connect();
    await c.query("DROP TABLE charts_c");
    await c.end();
    await until("resolution delivered", () => receiver.requests.some((r) => r.body.state === "resolved" && r.body.object === "public.charts_c"), 20_000);
    await until("outbox drained", async () => (await q<{ n: number }>("SELECT count(*)::int AS n FROM pgpulse.notification_outbox WHERE status <> 'delivered'"))[0].n === 0);

    // Exactly once per (alert, state) among accepted requests; retries carried the same key.
    for (const r of receiver.requests) expect(String(r.headers["idempotency-key"])).toBe(r.body.idempotencyKey);
    const outboxKeys = (await q<{ idempotency_key: string }>("SELECT idempotency_key FROM pgpulse.notification_outbox ORDER BY id")).map((r) => r.idempotency_key);
    expect(outboxKeys.length).toBe(TABLES.length + 1);
    const acceptedPerKey = new Map<string, number>();
    for (const a of answers) if (a.status === 200) acceptedPerKey.set(a.key, (acceptedPerKey.get(a.key) ?? 0) + 1);
    expect(Object.fromEntries(acceptedPerKey)).toEqual(Object.fromEntries(outboxKeys.map((k) => [k, 1])));
    expect(answers.every((a) => outboxKeys.includes(a.key))).toBe(true);
    // The refused firings were retried (before and after the kill) under their one key.
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThanOrEqual(TABLES.length);

    process.kill(second.pid, "SIGTERM");
    await second.exited;
  }, 120_000);
});
