import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alertDetailResponseSchema, alertListResponseSchema, notificationListResponseSchema } from "@/lib/api/alerts";
import { configSchema } from "@/lib/config/schema";
import { acknowledge, createSilence, expireSilence } from "@/lib/alerts/actions";
import { createAlertEngine, type AlertEngine } from "@/lib/alerts/engine";
import { createDeliveryWorker } from "@/lib/alerts/delivery";
import { clock, createAlertStore, ok, startReceiver, type Receiver } from "@/lib/alerts/test-support";
import { alertDetailView, alertListView, mapAlertError, notificationsView, parseAlertListQuery, parseId, viewOptions } from "./alerts-read";
import { HttpError } from "./route";

// The read side of the alert routes against a real store, with alerts made by the real engine.

const MB = 1024 ** 2;
const quiet = { info() {}, warn() {}, error() {} };
const ana = { name: "ana", role: "responder" } as const;

let store: Awaited<ReturnType<typeof createAlertStore>>;
let pool: pg.Pool;
let receiver: Receiver;

beforeAll(async () => {
  store = await createAlertStore();
  pool = store.pool;
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await store.close();
});
beforeEach(async () => {
  await pool.query("TRUNCATE pgpulse.alerts, pgpulse.alert_events, pgpulse.notification_outbox, pgpulse.notification_attempts, pgpulse.silences CASCADE");
  receiver.requests.length = 0;
});

const config = () =>
  configSchema.parse({
    targets: [{ id: "prod", name: "Production", url: "postgres://mon@127.0.0.1/kundli_db", thresholds: { tableSizeBytes: 128 * MB } }],
    channels: [{ id: "hook", type: "webhook", url: receiver.url, minSeverity: "info" }],
  });

async function feed(engine: AlertEngine, ...results: ReturnType<typeof ok>[]) {
  for (const r of results) {
    engine.accept(r);
    await engine.idle();
  }
}

const names = (id: string) => (id === "prod" ? "Production" : undefined);
const url = (q: string) => new URL(`http://x/api/alerts${q}`);

async function fireSome(c = clock(Date.now() - 3_600_000)) {
  const engine = createAlertEngine({ pool, config: config(), log: quiet, now: c.now });
  await engine.start();
  await feed(
    engine,
    ok("table_stats", "prod", c.now(), [
      { schemaname: "public", relname: "audit_log", total_bytes: 142 * MB, parent: null, is_partitioned: false },
      { schemaname: "public", relname: "users", total_bytes: 2 * MB, parent: null, is_partitioned: false },
    ]),
  );
  // The older episode comes first within a state and severity.
  c.advance(10);
  await feed(
    engine,
    ok("slow_queries", "prod", c.now(), [{ source: "slow_query_log", fingerprint: "fp1", query: "select * from birth_charts where birth_place = 'Pune'", duration_ms: 1500, calls: 1 }]),
  );
  c.advance(60);
  await feed(engine, ok("connections", "prod", c.now(), [{ max_connections: 100, usable: 97, total: 90, saturation: 0.93 }]));
  await engine.stop();
  return c;
}

describe("alert reads for the API", () => {
  it("lists engine-made alerts in panel order with human summaries and the muting silence", async () => {
    await fireSome();
    await createSilence(pool, { matchers: { rule: "table_size", objectPattern: "public.audit_*" }, endsAt: new Date(Date.now() + 3_600_000), reason: "archiving tonight" }, ana);

    const opts = await viewOptions(pool, "responder", names);
    const body = alertListResponseSchema.parse(await alertListView(pool, parseAlertListQuery(url("")), opts));
    expect(body.truncated).toBe(false);
    expect(body.alerts.map((a) => `${a.rule}:${a.object}:${a.state}`)).toEqual(["table_size:public.audit_log:firing", "slow_query:fp1:firing", "connection_saturation:connections:pending"]);
    const [table, slow] = body.alerts;
    expect(table.summary).toBe("public.audit_log is 142 MB (threshold 128 MB)");
    expect(table).toMatchObject({ unit: "bytes", value: 142 * MB, threshold: 128 * MB, silencedBy: { reason: "archiving tonight", createdBy: "ana" } });
    expect(slow.silencedBy).toBeNull();
    expect(slow.summary).toBe("Statement took 1.5 s (threshold 1 s): select * from birth_charts where birth_place = 'Pune'");

    // Viewers get the statement with its literals replaced.
    const viewer = alertListResponseSchema.parse(await alertListView(pool, parseAlertListQuery(url("?rule=slow_query")), await viewOptions(pool, "viewer", names)));
    expect(viewer.alerts).toHaveLength(1);
    expect(viewer.alerts[0].summary).toBe("Statement took 1.5 s (threshold 1 s): select * from birth_charts where birth_place = $1");
  });

  it("filters by repeated and comma-separated state, target and time", async () => {
    await fireSome();
    const opts = await viewOptions(pool, "admin", names);
    const list = async (q: string) => (await alertListView(pool, parseAlertListQuery(url(q)), opts)).alerts.map((a) => a.rule);
    expect(await list("?state=pending")).toEqual(["connection_saturation"]);
    expect((await list("?state=pending&state=firing")).sort()).toEqual(["connection_saturation", "slow_query", "table_size"]);
    expect((await list("?state=pending,firing")).length).toBe(3);
    expect(await list("?target=staging")).toEqual([]);
    expect(await list(`?to=${new Date(Date.now() - 7_200_000).toISOString()}`)).toEqual([]);
  });

  it("rejects bad parameters with a 400 naming them", () => {
    const badParam = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(HttpError);
        expect((e as HttpError).status).toBe(400);
        return (e as HttpError).param;
      }
      throw new Error("accepted");
    };
    expect(badParam(() => parseAlertListQuery(url("?state=firing&state=burning")))).toBe("state");
    expect(badParam(() => parseAlertListQuery(url("?from=yesterday")))).toBe("from");
    expect(badParam(() => parseAlertListQuery(url("?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")))).toBe("from");
    expect(badParam(() => parseId("12abc"))).toBe("id");
    expect(badParam(() => parseId("0"))).toBe("id");
    expect(badParam(() => parseId("99999999999999999999"))).toBe("id");
    expect(parseId("42")).toBe(42);
  });

  it("details carry the event history with the acknowledgement; a second ack is a 409", async () => {
    await fireSome();
    const opts = await viewOptions(pool, "responder", names);
    const { alerts } = await alertListView(pool, parseAlertListQuery(url("?rule=table_size")), opts);
    const id = Number(alerts[0].id);
    await acknowledge(pool, id, ana, "  looking  ", { sourceAddress: "127.0.0.1" });

    const detail = alertDetailResponseSchema.parse(await alertDetailView(pool, id, opts));
    expect(detail.alert).toMatchObject({ acknowledgedBy: "ana", ackComment: "looking", state: "firing" });
    expect(detail.events.map((e) => [e.fromState, e.toState, e.note])).toEqual([
      ["inactive", "firing", null],
      ["firing", "firing", "acknowledged by ana: looking"],
    ]);
    const audit = await pool.query(`SELECT actor, action, object, source_address FROM pgpulse.audit_log WHERE object = $1`, [`alert:${id}`]);
    expect(audit.rows).toEqual([{ actor: "ana", action: "alert.ack", object: `alert:${id}`, source_address: "127.0.0.1" }]);

    const second = await acknowledge(pool, id, ana, null).catch((e) => e);
    expect(() => mapAlertError(second)).toThrow(expect.objectContaining({ status: 409 }));
    const missing = await acknowledge(pool, id + 1000, ana, null).catch((e) => e);
    expect(() => mapAlertError(missing)).toThrow(expect.objectContaining({ status: 404 }));
    // An AlertError from another bundle's copy of the class is still recognised.
    const foreign = Object.assign(new Error("no channel \"x\""), { name: "AlertError", kind: "not_found" });
    expect(() => mapAlertError(foreign)).toThrow(expect.objectContaining({ status: 404, message: 'no channel "x"' }));
    expect(() => mapAlertError(new Error("boom"))).toThrow("boom");
    await expect(alertDetailView(pool, id + 1000, opts)).rejects.toMatchObject({ status: 404 });
  });

  it("a silenced firing is noted in the history; an expired silence mutes nothing", async () => {
    const s = await createSilence(pool, { matchers: { target: "prod", rule: "slow_query" }, endsAt: new Date(Date.now() + 3_600_000), reason: "load test" }, ana);
    await fireSome(clock(Date.now()));
    const opts = await viewOptions(pool, "responder", names);
    const [slow] = (await alertListView(pool, parseAlertListQuery(url("?rule=slow_query")), opts)).alerts;
    expect(slow.silencedBy?.id).toBe(String(s.id));
    const detail = await alertDetailView(pool, Number(slow.id), opts);
    expect(detail.events.map((e) => e.note)).toEqual([`silenced by silence ${s.id}: no notification sent`]);

    await expireSilence(pool, s.id, ana);
    const after = await viewOptions(pool, "responder", names);
    expect((await alertListView(pool, parseAlertListQuery(url("?rule=slow_query")), after)).alerts[0].silencedBy).toBeNull();
  });

  it("notifications list each delivery attempt of an alert", async () => {
    await fireSome();
    receiver.respond = (_req, n) => ({ status: n === 1 ? 503 : 200 });
    const opts = await viewOptions(pool, "responder", names);
    const [table] = (await alertListView(pool, parseAlertListQuery(url("?rule=table_size")), opts)).alerts;
    const worker = createDeliveryWorker({ pool, channels: config().channels, log: quiet, retry: { baseMs: 1, capMs: 1 }, random: () => 0 });
    await worker.runOnce();
    await new Promise((r) => setTimeout(r, 20));
    await worker.runOnce();

    const { notifications } = notificationListResponseSchema.parse(await notificationsView(pool, Number(table.id)));
    expect(notifications).toHaveLength(1);
    const [n] = notifications;
    expect(n).toMatchObject({ channelId: "hook", status: "delivered", attempts: 2, nextAttemptAt: null });
    expect(n.eventId).toMatch(/^\d+$/);
    expect(n.attemptLog.map((a) => a.statusCode)).toEqual([503, 200]);
    expect(JSON.stringify(notifications)).not.toContain(receiver.url);
    await expect(notificationsView(pool, 987654)).rejects.toMatchObject({ status: 404 });
  });
});
