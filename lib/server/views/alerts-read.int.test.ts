import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alertDetailResponseSchema, alertListResponseSchema, notificationListResponseSchema, silenceCreateSchema } from "@/lib/api/alerts";
import { parseInput } from "@/lib/server/http/parse";
import { configSchema } from "@/lib/config/schema";
import { acknowledge, createSilence, expireSilence } from "@/lib/alerts/actions";
import { createAlertEngine } from "@/lib/alerts/engine";
import { createDeliveryWorker } from "@/lib/alerts/delivery";
import { feed, quietLog, setUpAlertStore } from "@/test/support/alert-store";
import { clock, ok, startReceiver, type Receiver } from "@/test/support/alerts";
import { DomainError, isDomainError } from "@/lib/errors";
import { ackAlert, addSilence } from "@/lib/server/commands/alert-actions";
import { alertDetailView, alertListView, notificationsView, parseAlertListQuery, parseId } from "./alerts-read";

// The read side of the alert routes against a real store, with alerts made by the real engine.

const MB = 1024 ** 2;
const ana = { name: "ana", role: "responder" } as const;

const { pool } = setUpAlertStore({ emptyBeforeEach: true });
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(() => {
  receiver.requests.length = 0;
});

const config = () =>
  configSchema.parse({
    targets: [{ id: "prod", name: "Production", url: "postgres://mon@127.0.0.1/kundli_db", thresholds: { tableSizeBytes: 128 * MB } }],
    channels: [{ id: "hook", type: "webhook", url: receiver.url, minSeverity: "info" }],
  });

// The runtime as the alert reads see it: the store and the targets' names.
const src = { store: { get pool() { return pool; }, read: <T,>(fn: (p: pg.Pool) => Promise<T>) => fn(pool) }, target: (id: string) => (id === "prod" ? { name: "Production" } : undefined) };
const url = (q: string) => new URL(`http://x/api/alerts${q}`);

async function fireSome(c = clock(Date.now() - 3_600_000)) {
  const engine = createAlertEngine({ pool, config: config(), log: quietLog, now: c.now });
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
    const body = alertListResponseSchema.parse(await alertListView(src, "responder", parseAlertListQuery(url(""))));
    expect(body.truncated).toBe(false);
    expect(body.alerts.map((a) => `${a.rule}:${a.object}:${a.state}`)).toEqual(["table_size:public.audit_log:firing", "slow_query:fp1:firing", "connection_saturation:connections:pending"]);
    const [table, slow] = body.alerts;
    expect(table.summary).toBe("public.audit_log is 142 MB (threshold 128 MB)");
    expect(table).toMatchObject({ unit: "bytes", value: 142 * MB, threshold: 128 * MB, silencedBy: { reason: "archiving tonight", createdBy: "ana" } });
    expect(slow.silencedBy).toBeNull();
    expect(slow.summary).toBe("Statement took 1.5 s (threshold 1 s): select * from birth_charts where birth_place = 'Pune'");

    // Viewers get the statement with its literals replaced.
    const viewer = alertListResponseSchema.parse(await alertListView(src, "viewer", parseAlertListQuery(url("?rule=slow_query"))));
    expect(viewer.alerts).toHaveLength(1);
    expect(viewer.alerts[0].summary).toBe("Statement took 1.5 s (threshold 1 s): select * from birth_charts where birth_place = $1");
  });

  it("filters by repeated and comma-separated state, target and time", async () => {
    await fireSome();
    const list = async (q: string) => (await alertListView(src, "admin", parseAlertListQuery(url(q)))).alerts.map((a) => a.rule);
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
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).status).toBe(400);
        return (e as DomainError).param;
      }
      throw new Error("accepted");
    };
    expect(badParam(() => parseAlertListQuery(url("?state=firing&state=burning")))).toBe("state");
    expect(badParam(() => parseAlertListQuery(url("?from=yesterday")))).toBe("from");
    expect(badParam(() => parseAlertListQuery(url("?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")))).toBe("from");
    // An unknown rule id would match nothing: a 400 naming the parameter and the known ids.
    expect(badParam(() => parseAlertListQuery(url("?rule=cache_hit_ration")))).toBe("rule");
    expect(() => parseAlertListQuery(url("?rule=cache_hit_ration"))).toThrow(/invalid rule: unknown rule; known: slow_query, .*standby_down/);
    expect(badParam(() => parseInput({ matchers: { rule: "tabel_size" }, endsAt: new Date(Date.now() + 60_000).toISOString(), reason: "x" }, silenceCreateSchema))).toBe("matchers.rule");
    expect(badParam(() => parseId("12abc"))).toBe("id");
    expect(badParam(() => parseId("0"))).toBe("id");
    expect(badParam(() => parseId("99999999999999999999"))).toBe("id");
    expect(parseId("42")).toBe(42);
  });

  it("details carry the event history with the acknowledgement; a second ack is a 409", async () => {
    await fireSome();
    const { alerts } = await alertListView(src, "responder", parseAlertListQuery(url("?rule=table_size")));
    const id = Number(alerts[0].id);
    await acknowledge(pool, id, ana, "  looking  ", { sourceAddress: "127.0.0.1" });

    const detail = alertDetailResponseSchema.parse(await alertDetailView(src, "responder", id));
    expect(detail.alert).toMatchObject({ acknowledgedBy: "ana", ackComment: "looking", state: "firing" });
    expect(detail.events.map((e) => [e.fromState, e.toState, e.note])).toEqual([
      ["inactive", "firing", null],
      ["firing", "firing", "acknowledged by ana: looking"],
    ]);
    // With the configuration, the lines are the target's own (128 MB, clearing 5 % under it);
    // the fired value comes from the transition, not from the acknowledgement after it.
    const withRules = alertDetailResponseSchema.parse(await alertDetailView({ ...src, config: config() }, "responder", id));
    expect(withRules.context).toMatchObject({
      sentence: "Table larger than the threshold (table_size) is firing for table public.audit_log on Production.",
      comparator: "gt",
      threshold: 128 * MB,
      clearThreshold: 128 * MB * 0.95,
      firedValue: 142 * MB,
      running: null,
      chart: null,
    });
    expect(withRules.context.links[0]).toEqual({ kind: "table", label: "table public.audit_log", href: "/targets/prod/tables?q=public.audit_log&table=public.audit_log" });
    const audit = await pool.query(`SELECT actor, action, object, source_address FROM pgpulse.audit_log WHERE object = $1`, [`alert:${id}`]);
    expect(audit.rows).toEqual([{ actor: "ana", action: "alert.ack", object: `alert:${id}`, source_address: "127.0.0.1" }]);

    // Refusals are DomainErrors with the status the route answers with.
    const second = await ackAlert(src, ana, id, "again", null).catch((e) => e);
    expect(isDomainError(second) && second.body()).toEqual({ error: `alert ${id} was already acknowledged by ana` });
    expect(second).toMatchObject({ status: 409 });
    await expect(ackAlert(src, ana, id + 1000, "", null)).rejects.toMatchObject({ status: 404, message: `no alert ${id + 1000}` });
    await expect(alertDetailView(src, "responder", id + 1000)).rejects.toMatchObject({ status: 404 });
  });

  it("a silenced firing is noted in the history; an expired silence mutes nothing", async () => {
    const s = await createSilence(pool, { matchers: { target: "prod", rule: "slow_query" }, endsAt: new Date(Date.now() + 3_600_000), reason: "load test" }, ana);
    await fireSome(clock(Date.now()));
    const [slow] = (await alertListView(src, "responder", parseAlertListQuery(url("?rule=slow_query")))).alerts;
    expect(slow.silencedBy?.id).toBe(String(s.id));
    const detail = await alertDetailView(src, "responder", Number(slow.id));
    expect(detail.events.map((e) => e.note)).toEqual([`silenced by silence ${s.id}: no notification sent`]);

    await expireSilence(pool, s.id, ana);
    expect((await alertListView(src, "responder", parseAlertListQuery(url("?rule=slow_query")))).alerts[0].silencedBy).toBeNull();
  });

  it("a silence must end in the future and last at most 30 days", async () => {
    const now = Date.parse("2026-03-02T10:00:00Z");
    const body = (endsAt: number) => ({ matchers: { target: "prod" }, endsAt: new Date(endsAt).toISOString(), reason: "window" });
    await expect(addSilence(pool, ana, body(now), null, now)).rejects.toMatchObject({ status: 400, param: "endsAt", message: "invalid endsAt: must be in the future" });
    await expect(addSilence(pool, ana, body(now + 31 * 86_400_000), null, now)).rejects.toMatchObject({ status: 400, param: "endsAt" });
    const { silence } = await addSilence(pool, ana, body(now + 3_600_000), "192.0.2.7", now);
    expect(silence).toMatchObject({ reason: "window", createdBy: "ana", endsAt: "2026-03-02T11:00:00.000Z" });
  });

  it("notifications list each delivery attempt of an alert", async () => {
    await fireSome();
    receiver.respond = (_req, n) => ({ status: n === 1 ? 503 : 200 });
    const [table] = (await alertListView(src, "responder", parseAlertListQuery(url("?rule=table_size")))).alerts;
    const worker = createDeliveryWorker({ pool, channels: config().channels, log: quietLog, retry: { baseMs: 1, capMs: 1 }, random: () => 0 });
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
