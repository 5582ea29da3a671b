import { beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "@/lib/config/schema";
import { acknowledge, createSilence, expireSilence, listSilences } from "./actions";
import { createDeliveryWorker } from "./delivery";
import { createAlertEngine } from "./engine";
import { AlertError } from "./errors";
import { alertCounts, getAlert, listAlerts, listNotifications, mttaMttr } from "./read";
import { feed, quietLog, setUpAlertStore } from "@/test/support/alert-store";
import { clock, ok, startReceiver } from "@/test/support/alerts";

const responder = { name: "ana", role: "responder" as const };

const { pool } = setUpAlertStore();
const c = clock();

const config = configSchema.parse({
  targets: [
    { id: "prod", name: "Prod", url: "postgres://m@127.0.0.1/db" },
    { id: "dev", name: "Dev", url: "postgres://m@127.0.0.1/dev" },
  ],
  channels: [{ id: "hook", type: "webhook", url: "http://127.0.0.1:9/x", minSeverity: "info" }],
});

beforeAll(async () => {
  // A small history: prod down (critical, resolved after 3 min), two slow queries on dev (one still firing).
  const engine = createAlertEngine({ pool, config, log: quietLog, now: c.now });
  await engine.start();
  await feed(engine, ok("up", "prod", c.now(), [{ up: 0, error: "refused" }]));
  c.advance(30);
  await feed(engine, ok("up", "prod", c.now(), [{ up: 0, error: "refused" }]));
  await feed(engine, ok("slow_queries", "dev", c.now(), [
    { source: "running", fingerprint: "q1", query: "select 1", duration_ms: 5000 },
    { source: "running", fingerprint: "q2", query: "select 2", duration_ms: 2500 },
  ]));
  c.advance(180);
  await feed(engine, ok("up", "prod", c.now(), [{ up: 1, error: null }]));
  await feed(engine, ok("slow_queries", "dev", c.now(), [{ source: "running", fingerprint: "q1", query: "select 1", duration_ms: 8000 }]));
  await engine.stop();
});

const audit = async (action: string) => (await pool.query(`SELECT actor, role, action, object, before, after, source_address FROM pgpulse.audit_log WHERE action = $1 ORDER BY at`, [action])).rows;

describe("reads", () => {
  it("lists alerts with filters, firing first", async () => {
    const all = await listAlerts(pool);
    expect(all.map((a) => `${a.targetId}/${a.rule}/${a.objectKey}/${a.state}`)).toEqual(["dev/slow_query/q2/firing", "dev/slow_query/q1/firing", "prod/target_down/target/resolved"]);
    expect((await listAlerts(pool, { target: "prod" })).map((a) => a.rule)).toEqual(["target_down"]);
    expect((await listAlerts(pool, { rule: "slow_query", state: "resolved" }))).toEqual([]);
    // Episode overlap: prod's outage was [0, 210 s]; a range after it excludes it.
    expect((await listAlerts(pool, { from: new Date(c.at(300)), to: new Date(c.at(400)) })).map((a) => a.objectKey)).toEqual(["q2", "q1"]);
    expect((await listAlerts(pool, { from: new Date(c.at(0)), to: new Date(c.at(10)) })).map((a) => a.objectKey)).toEqual(["target"]);
    // The open episode's value is refreshed (throttled) while it fires: q1 was last seen at 8 s.
    expect((await listAlerts(pool, { state: "firing" })).map((a) => [a.objectKey, a.value])).toEqual([["q2", 2500], ["q1", 8000]]);
  });

  it("gets one alert with its events", async () => {
    const [down] = await listAlerts(pool, { rule: "target_down" });
    const got = await getAlert(pool, down.id);
    expect(got?.alert).toMatchObject({ id: down.id, state: "resolved", severity: "critical", threshold: 1 });
    expect(got?.events.map((e) => `${e.from}>${e.to}`)).toEqual(["inactive>pending", "pending>firing", "firing>resolved"]);
    expect(got?.events.map((e) => e.at.getTime())).toEqual([c.at(0), c.at(30), c.at(210)]);
    expect(await getAlert(pool, 999_999)).toBeNull();
  });

  it("counts firing alerts by severity for the nav badge", async () => {
    expect(await alertCounts(pool)).toEqual({ firing: { info: 0, warning: 2, critical: 0 }, firingTotal: 2, pending: 0, unacknowledged: 2 });
  });

  it("lists an alert's notifications with their delivery attempts", async () => {
    const hook = await startReceiver();
    try {
      const worker = createDeliveryWorker({ pool, log: quietLog, channels: configSchema.parse({ channels: [{ id: "hook", type: "webhook", url: hook.url }] }).channels });
      await worker.runOnce();
    } finally {
      await hook.close();
    }
    const [down] = await listAlerts(pool, { rule: "target_down" });
    const notes = await listNotifications(pool, down.id);
    expect(notes.map((n) => [n.channelId, n.state, n.status, n.attempts, n.attemptLog.map((a) => a.statusCode)])).toEqual([
      ["hook", "firing", "delivered", 1, [200]],
      ["hook", "resolved", "delivered", 1, [200]],
    ]);
    expect(notes[0].summary).toBe("Target unreachable: Prod");
    expect(JSON.stringify(notes)).not.toContain("127.0.0.1");
  });
});

describe("acknowledge", () => {
  it("records who, when and why, with an audit row; a second ack is a conflict", async () => {
    const [q1] = await listAlerts(pool, { rule: "slow_query", state: "firing", target: "dev" });
    const at = new Date(c.at(270));
    const acked = await acknowledge(pool, q1.id, responder, "  looking into it ", { sourceAddress: "127.0.0.1", now: () => at });
    expect(acked).toMatchObject({ id: q1.id, acknowledgedBy: "ana", acknowledgedAt: at, ackComment: "looking into it", state: "firing" });
    expect(await audit("alert.ack")).toEqual([
      { actor: "ana", role: "responder", action: "alert.ack", object: `alert:${q1.id}`, before: { acknowledgedBy: null }, after: { acknowledgedBy: "ana", acknowledgedAt: at.toISOString(), comment: "looking into it" }, source_address: "127.0.0.1" },
    ]);
    const events = (await getAlert(pool, q1.id))!.events;
    expect(events.at(-1)).toMatchObject({ from: "firing", to: "firing", details: { acknowledgedBy: "ana" } });
    await expect(acknowledge(pool, q1.id, responder, null)).rejects.toMatchObject({ kind: "conflict" });
    expect((await audit("alert.ack")).length).toBe(1);
    expect((await alertCounts(pool)).unacknowledged).toBe(1);
  });

  it("refuses unknown and closed alerts", async () => {
    await expect(acknowledge(pool, 999_999, responder, null)).rejects.toMatchObject({ kind: "not_found" });
    const [down] = await listAlerts(pool, { rule: "target_down" });
    await expect(acknowledge(pool, down.id, responder, null)).rejects.toBeInstanceOf(AlertError);
  });

  it("feeds MTTA and MTTR per rule", async () => {
    const rows = await mttaMttr(pool, { from: new Date(c.at(-60)), to: new Date(c.at(3600)) });
    expect(rows).toEqual([
      // q1 fired at 30 s, acknowledged at 270 s; neither slow query resolved.
      { rule: "slow_query", fired: 2, acknowledged: 1, resolved: 0, mttaSeconds: 240, mttrSeconds: null },
      { rule: "target_down", fired: 1, acknowledged: 0, resolved: 1, mttaSeconds: null, mttrSeconds: 180 },
    ]);
    expect(await mttaMttr(pool, { from: new Date(c.at(3600)), to: new Date(c.at(7200)) })).toEqual([]);
  });
});

describe("silences", () => {
  it("create, list and expire, each audited", async () => {
    const now = new Date();
    const s = await createSilence(pool, { matchers: { target: "dev", rule: "slow_query" }, endsAt: new Date(now.getTime() + 3600_000), reason: "load test" }, responder, { sourceAddress: "10.0.0.1" });
    expect(s).toMatchObject({ matchers: { target: "dev", rule: "slow_query" }, reason: "load test", createdBy: "ana", active: true, expiredAt: null });
    expect((await listSilences(pool, { active: true })).map((x) => x.id)).toContain(s.id);
    const expired = await expireSilence(pool, s.id, { name: "bo", role: "admin" });
    expect(expired).toMatchObject({ active: false, expiredBy: "bo" });
    expect((await listSilences(pool, { active: true })).map((x) => x.id)).not.toContain(s.id);
    expect((await listSilences(pool)).map((x) => x.id)).toContain(s.id);
    await expect(expireSilence(pool, s.id, responder)).rejects.toMatchObject({ kind: "conflict" });
    await expect(expireSilence(pool, 424242, responder)).rejects.toMatchObject({ kind: "not_found" });
    const created = await audit("silence.create");
    expect(created).toEqual([{ actor: "ana", role: "responder", action: "silence.create", object: `silence:${s.id}`, before: null, after: expect.objectContaining({ reason: "load test", matchers: { target: "dev", rule: "slow_query" } }), source_address: "10.0.0.1" }]);
    expect((await audit("silence.expire")).map((r) => [r.actor, r.object])).toEqual([["bo", `silence:${s.id}`]]);
  });

  it("rejects a silence without matchers or with an end before its start", async () => {
    await expect(createSilence(pool, { matchers: {}, endsAt: new Date(Date.now() + 1000), reason: "x" }, responder)).rejects.toMatchObject({ kind: "invalid" });
    await expect(createSilence(pool, { matchers: { rule: "slow_query" }, endsAt: new Date(Date.now() - 1000), reason: "x" }, responder)).rejects.toMatchObject({ kind: "invalid" });
    await expect(createSilence(pool, { matchers: { rule: "slow_query" }, endsAt: new Date(Date.now() + 1000), reason: "  " }, responder)).rejects.toMatchObject({ kind: "invalid" });
  });
});
