import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAlert, listNotifications } from "@/lib/alerts/read";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { client, episodes, messages, startReceiver, startWatching, until, waitForAlert, waitForRuns, type Receiver } from "./support";

// Exactly once across a restart: a real table over a test-sized table_size threshold fires in a
// first pgpulse, which is stopped while the alert fires (its notification possibly not yet
// sent); a second pgpulse on the same store takes over, sees the same condition without
// announcing it again, and after TRUNCATE resolves it. The receiver got one firing and one
// resolved message for that alert, each under its own idempotency key, delivered once.

const MiB = 1024 ** 2;
const OBJECT = "public.audit_log";

let target: TestDatabase;
let store: TestDatabase;
let receiver: Receiver;
let storeRead: pg.Pool;
const instances: Pgpulse[] = [];

const start = async () => {
  const rt = await startWatching({ targetUrl: target.url, storeUrl: store.url, rule: "table_size", thresholds: { tableSizeBytes: MiB }, receiver });
  instances.push(rt);
  return rt;
};

beforeAll(async () => {
  [target, store, receiver] = await Promise.all([createTestDatabase(17, "ar_restart_t"), createTestDatabase(17, "ar_restart_s"), startReceiver()]);
  const app = await client(target.url);
  await app.query(`CREATE TABLE audit_log (id bigint, action text, details jsonb);
    INSERT INTO audit_log SELECT g, 'chart.view', jsonb_build_object('user', g, 'pad', repeat('y', 40)) FROM generate_series(1, 20000) g`);
  await app.end();
  storeRead = new pg.Pool({ connectionString: store.url, max: 1 });
});

afterAll(async () => {
  for (const rt of instances) await rt.stop();
  await storeRead?.end();
  await receiver?.close();
  await Promise.allSettled([target?.drop(), store?.drop()]);
});

describe("one firing and one resolved message across a pgpulse restart", () => {
  it("the second instance neither repeats the firing nor loses the resolution", async () => {
    const first = await start();
    const fired = await waitForAlert(first.store.pool, "table_size", OBJECT, "firing", 15_000);
    await first.stop();
    const sentBeforeRestart = messages(receiver, "table_size", OBJECT).length;
    expect(sentBeforeRestart).toBeLessThanOrEqual(1);

    const second = await start();
    // The condition still holds: two evaluations by the second instance change nothing.
    await waitForRuns(second, "table_stats", 2);
    const open = await episodes(storeRead, "table_size", OBJECT);
    expect(open.map((a) => [a.id, a.state])).toEqual([[fired.id, "firing"]]);
    expect(open[0].firedAt!.getTime()).toBe(fired.firedAt!.getTime());
    await until("the firing message delivered", () => messages(receiver, "table_size", OBJECT).length >= 1, 10_000);

    const app = await client(target.url);
    await app.query("TRUNCATE audit_log");
    await app.end();
    const resolved = await waitForAlert(storeRead, "table_size", OBJECT, "resolved", 15_000);
    expect(resolved.id).toBe(fired.id);

    await until("both notifications delivered", async () => {
      const n = await listNotifications(storeRead, fired.id);
      return n.length === 2 && n.every((x) => x.status === "delivered");
    }, 15_000);
    // A few more runs: nothing else is sent.
    await waitForRuns(second, "table_stats", 2);

    const got = messages(receiver, "table_size", OBJECT);
    expect(got.map((m) => m.state)).toEqual(["firing", "resolved"]);
    expect(new Set(got.map((m) => m.key)).size).toBe(2);
    const outbox = await listNotifications(storeRead, fired.id);
    expect(outbox.map((n) => [n.state, n.idempotencyKey, n.attempts])).toEqual([
      ["firing", got[0].key, 1],
      ["resolved", got[1].key, 1],
    ]);
    // One episode, one transition to firing and one to resolved in its history.
    const history = await getAlert(storeRead, fired.id);
    expect(history!.events.filter((e) => e.to === "firing").length).toBe(1);
    expect(history!.events.filter((e) => e.to === "resolved").length).toBe(1);
    expect(await episodes(storeRead, "table_size")).toHaveLength(1);
  });
});
