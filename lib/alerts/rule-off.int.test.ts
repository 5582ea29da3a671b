import { describe, expect, it } from "vitest";
import { configSchema } from "@/lib/config/schema";
import type { FenceToken } from "@/lib/fleet/lease-store";
import { createAlertEngine, RULE_TURNED_OFF, type AlertEngineOptions } from "./engine";
import { listAlerts } from "./read";
import { feed, quietLog, setUpAlertStore } from "@/test/support/alert-store";
import { clock, ok } from "@/test/support/alerts";

// A rule turned off (globally or for one target, in the file before a restart or through
// setConfig) closes the episodes it had open, on a real store: resolved or ended with the reason,
// a "resolved" message to the channels told of the firing, and only by the target's lease holder.

const GB = 1024 ** 3;
const targets = [
  { id: "prod", name: "Prod", url: "postgres://mon@127.0.0.1/prod" },
  { id: "stage", name: "Stage", url: "postgres://mon@127.0.0.1/stage" },
];
const channels = [{ id: "hook", type: "webhook", url: "http://127.0.0.1:9/hook", minSeverity: "info" }];
const configOf = (extra: Record<string, unknown> = {}) => configSchema.parse({ targets, channels, ...extra });

const big = [{ schemaname: "public", relname: "birth_charts", total_bytes: 12 * GB, parent: null, is_partitioned: true }];
const slow = [{ source: "slow_query_log", fingerprint: "fp1", query: "select 1", duration_ms: 2000, calls: 1 }];

const { pool } = setUpAlertStore({ emptyBeforeEach: true });

const c = clock();
async function engineWith(config: AlertEngineOptions["config"], fence?: AlertEngineOptions["fence"]) {
  const engine = createAlertEngine({ pool, config, log: quietLog, now: c.now, publicUrl: "https://pgpulse.test", fence });
  await engine.start();
  await engine.idle();
  return engine;
}
const states = async () => (await pool.query<{ s: string }>("SELECT target_id || ':' || rule || ':' || state AS s FROM pgpulse.alerts ORDER BY 1")).rows.map((r) => r.s);
const outbox = async () =>
  (await pool.query<{ key: string; payload: Record<string, unknown> }>("SELECT idempotency_key AS key, payload FROM pgpulse.notification_outbox ORDER BY id")).rows;

describe("a rule turned off", () => {
  it("in the file, before a restart: its open episodes close with the reason and a resolved message; other rules go on", async () => {
    const first = await engineWith(configOf());
    await feed(first, ok("table_stats", "prod", c.now(), big), ok("table_stats", "stage", c.now(), big), ok("slow_queries", "prod", c.now(), slow));
    await first.stop();
    expect(await states()).toEqual(["prod:slow_query:firing", "prod:table_size:firing", "stage:table_size:firing"]);

    const second = await engineWith(configOf({ rules: { table_size: { enabled: false } } }));
    expect(await states()).toEqual(["prod:slow_query:firing", "prod:table_size:resolved", "stage:table_size:resolved"]);
    expect(second.openInstances().map((i) => `${i.targetId}:${i.rule}`)).toEqual(["prod:slow_query"]);

    const closed = (await listAlerts(pool, { state: "resolved" }))[0];
    expect(closed.details).toMatchObject({ retired: RULE_TURNED_OFF });
    const events = await pool.query("SELECT from_state, to_state, details FROM pgpulse.alert_events WHERE to_state = 'resolved' ORDER BY alert_id");
    expect(events.rows).toEqual([
      { from_state: "firing", to_state: "resolved", details: { retired: "rule turned off" } },
      { from_state: "firing", to_state: "resolved", details: { retired: "rule turned off" } },
    ]);
    const resolved = (await outbox()).filter((r) => r.payload.state === "resolved");
    expect(resolved.map((r) => r.key).sort()).toEqual((await listAlerts(pool, { state: "resolved" })).map((a) => `pgpulse-${a.id}-resolved-hook`).sort());
    expect(resolved.find((r) => (r.payload.target as { id: string }).id === "prod")?.payload).toMatchObject({
      rule: "table_size",
      state: "resolved",
      object: "public.birth_charts",
      closedReason: "rule turned off",
      summary: "Closed without recovery (rule turned off): Table larger than the threshold on Prod (public.birth_charts): 12.0 GiB, threshold > 10.0 GiB",
    });

    // Turned off, it fires no more, and nothing more is queued.
    c.advance(300);
    await feed(second, ok("table_stats", "prod", c.now(), big));
    expect(await states()).toEqual(["prod:slow_query:firing", "prod:table_size:resolved", "stage:table_size:resolved"]);
    expect((await outbox()).length).toBe(5);
    await second.stop();
  });

  it("for one target, at run time: only that target's episodes close; a pending one ends without a message", async () => {
    const engine = await engineWith(configOf());
    await feed(engine, ok("table_stats", "prod", c.now(), big), ok("table_stats", "stage", c.now(), big), ok("up", "prod", c.now(), [{ up: 0, error: "connection refused" }]));
    expect(await states()).toEqual(["prod:table_size:firing", "prod:target_down:pending", "stage:table_size:firing"]);
    const before = (await outbox()).length;

    const off = { enabled: false };
    engine.setConfig(configOf({ targets: [{ ...targets[0], rules: { table_size: off, target_down: off } }, targets[1]] }));
    await engine.idle();
    expect(await states()).toEqual(["prod:table_size:resolved", "prod:target_down:inactive", "stage:table_size:firing"]);
    const added = (await outbox()).slice(before);
    expect(added.map((r) => [(r.payload.target as { id: string }).id, r.payload.rule, r.payload.state])).toEqual([["prod", "table_size", "resolved"]]);
    expect(engine.openInstances().map((i) => `${i.targetId}:${i.rule}`)).toEqual(["stage:table_size"]);
    await engine.stop();
  });

  it("with leases: an instance that lost the target closes nothing; the holder closes on adopting it", async () => {
    await pool.query("INSERT INTO pgpulse.leases (target_id, holder, holder_name, epoch, expires_at) VALUES ('prod', 'a', 'a', 1, now() + interval '1 minute')");
    const tokenOf = (holder: string, epoch: number) => (id: string): FenceToken | null => (id === "prod" ? { targetId: id, holder, epoch } : null);
    const a = await engineWith(configOf(), tokenOf("a", 1));
    await a.adopt("prod");
    await feed(a, ok("table_stats", "prod", c.now(), big));
    expect(await states()).toEqual(["prod:table_size:firing"]);

    // b takes the lease over; a, not yet aware, is told the rule is off: the store refuses it.
    await pool.query("UPDATE pgpulse.leases SET holder = 'b', holder_name = 'b', epoch = 2 WHERE target_id = 'prod'");
    const off = configOf({ rules: { table_size: { enabled: false } } });
    a.setConfig(off);
    await a.idle();
    expect(await states()).toEqual(["prod:table_size:firing"]);
    expect(a.openInstances()).toEqual([]);

    const b = await engineWith(off, tokenOf("b", 2));
    await b.adopt("prod");
    await b.idle();
    expect(await states()).toEqual(["prod:table_size:resolved"]);
    expect((await outbox()).map((r) => r.payload.state)).toEqual(["firing", "resolved"]);
    await a.stop();
    await b.stop();
  });
});
