import { describe, expect, it } from "vitest";
import { configSchema } from "@/lib/config/schema";
import { createSilence } from "./actions";
import { createAlertEngine } from "./engine";
import { listAlerts } from "./read";
import { feed, quietLog, setUpAlertStore } from "@/test/support/alert-store";
import { clock, ok } from "@/test/support/alerts";

const GB = 1024 ** 3;
const MB = 1024 ** 2;

const config = configSchema.parse({
  targets: [{ id: "prod", name: "Prod", url: "postgres://mon@127.0.0.1/kundli_db" }],
  channels: [
    { id: "hook", type: "webhook", url: "http://127.0.0.1:9/hook", minSeverity: "info" },
    { id: "slack", type: "slack", url: "http://127.0.0.1:9/slack", minSeverity: "critical" },
  ],
});

const { pool } = setUpAlertStore({ emptyBeforeEach: true });

async function engineWith(c = clock()) {
  const engine = createAlertEngine({ pool, config, log: quietLog, now: c.now, publicUrl: "https://pgpulse.test" });
  await engine.start();
  return engine;
}

const count = async (sql: string, params: unknown[] = []) => Number((await pool.query(sql, params)).rows[0].n);

describe("alert engine with a real store", () => {
  it("writes a firing transition, its event and its outbox rows in one transaction", async () => {
    const c = clock();
    const engine = await engineWith(c);
    await feed(engine, ok("up", "prod", c.now(), [{ up: 0, error: "connection refused" }]));
    c.advance(15);
    await feed(engine, ok("up", "prod", c.now(), [{ up: 0, error: "connection refused" }]));
    expect((await listAlerts(pool, { state: "pending" })).length).toBe(1);
    expect(await count("SELECT count(*) AS n FROM pgpulse.notification_outbox")).toBe(0);
    c.advance(15);
    await feed(engine, ok("up", "prod", c.now(), [{ up: 0, error: "connection refused" }]));
    const [alert] = await listAlerts(pool, { state: "firing" });
    expect(alert).toMatchObject({ rule: "target_down", targetId: "prod", objectKey: "target", severity: "critical", value: 0 });
    expect(alert.since.getTime()).toBe(c.at(0));
    expect(alert.firedAt?.getTime()).toBe(c.at(30));
    // Same transaction id on the alert update, the event and both outbox rows.
    const xids = await pool.query(
      `SELECT 'alert' AS k, xmin::text AS x FROM pgpulse.alerts WHERE id = $1
       UNION ALL SELECT 'event', xmin::text FROM pgpulse.alert_events WHERE alert_id = $1 AND to_state = 'firing'
       UNION ALL SELECT 'outbox:' || channel_id, xmin::text FROM pgpulse.notification_outbox WHERE alert_id = $1 ORDER BY 1`,
      [alert.id],
    );
    expect(xids.rows.map((r) => r.k)).toEqual(["alert", "event", "outbox:hook", "outbox:slack"]);
    expect(new Set(xids.rows.map((r) => r.x)).size).toBe(1);
    const outbox = await pool.query(`SELECT idempotency_key, payload FROM pgpulse.notification_outbox ORDER BY channel_id`);
    expect(outbox.rows[0].idempotency_key).toBe(`pgpulse-${alert.id}-firing-hook`);
    expect(outbox.rows[0].payload).toMatchObject({
      idempotencyKey: `pgpulse-${alert.id}-firing-hook`,
      rule: "target_down",
      target: { id: "prod", name: "Prod" },
      object: "target",
      state: "firing",
      value: 0,
      threshold: 1,
      since: new Date(c.at(0)).toISOString(),
      severity: "critical",
      summary: "Target unreachable: Prod",
      links: { alert: `https://pgpulse.test/alerts/${alert.id}`, target: "https://pgpulse.test/targets/prod" },
    });
    // Back up: resolved, with a resolution for each channel told of the firing.
    c.advance(15);
    await feed(engine, ok("up", "prod", c.now(), [{ up: 1, error: null }]));
    expect((await listAlerts(pool, { state: "resolved" }))[0].resolvedAt?.getTime()).toBe(c.at(45));
    expect(await count(`SELECT count(*) AS n FROM pgpulse.notification_outbox WHERE payload->>'state' = 'resolved'`)).toBe(2);
    await engine.stop();
  });

  it("a failed outbox write rolls the transition back; the next evaluation writes both", async () => {
    const c = clock();
    const engine = await engineWith(c);
    await pool.query(`CREATE FUNCTION pgpulse.fail_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox unavailable'; END $$`);
    await pool.query(`CREATE TRIGGER fail_outbox BEFORE INSERT ON pgpulse.notification_outbox FOR EACH ROW EXECUTE FUNCTION pgpulse.fail_outbox()`);
    try {
      await feed(engine, ok("slow_queries", "prod", c.now(), [{ source: "slow_query_log", fingerprint: "fp1", query: "select pg_sleep(2)", duration_ms: 2000, calls: 1 }]));
      expect(await count("SELECT count(*) AS n FROM pgpulse.alerts")).toBe(0);
      expect(await count("SELECT count(*) AS n FROM pgpulse.alert_events")).toBe(0);
      expect(engine.openInstances()).toEqual([]);
    } finally {
      await pool.query("DROP TRIGGER fail_outbox ON pgpulse.notification_outbox; DROP FUNCTION pgpulse.fail_outbox()");
    }
    c.advance(60);
    await feed(engine, ok("slow_queries", "prod", c.now(), [{ source: "running", fingerprint: "fp1", query: "select pg_sleep(2)", duration_ms: 1500, calls: null }]));
    const alerts = await listAlerts(pool);
    expect(alerts.map((a) => [a.rule, a.objectKey, a.state])).toEqual([["slow_query", "fp1", "firing"]]);
    expect(await count("SELECT count(*) AS n FROM pgpulse.alert_events")).toBe(1);
    expect(await count("SELECT count(*) AS n FROM pgpulse.notification_outbox")).toBe(1); // slow_query is a warning: not for "slack"
    await engine.stop();
  });

  it("restart: a new engine on the same store resumes the firing alert without a second notification", async () => {
    const c = clock();
    const big = [{ schemaname: "public", relname: "birth_charts", total_bytes: 12 * GB, parent: null, is_partitioned: true }];
    const first = await engineWith(c);
    await feed(first, ok("table_stats", "prod", c.now(), big));
    await first.stop();
    expect(await count("SELECT count(*) AS n FROM pgpulse.notification_outbox")).toBe(1);

    const second = await engineWith(c);
    expect(second.openInstances().map((i) => [i.rule, i.objectKey, i.state.state])).toEqual([["table_size", "public.birth_charts", "firing"]]);
    for (let i = 0; i < 3; i++) {
      c.advance(300);
      await feed(second, ok("table_stats", "prod", c.now(), big));
    }
    expect(await count("SELECT count(*) AS n FROM pgpulse.alerts")).toBe(1);
    expect(await count("SELECT count(*) AS n FROM pgpulse.alert_events")).toBe(1);
    expect(await count("SELECT count(*) AS n FROM pgpulse.notification_outbox")).toBe(1);
    // Hysteresis: 9.8 GB is under 10 GB but above the 9.5 GB clear line: still firing.
    c.advance(300);
    await feed(second, ok("table_stats", "prod", c.now(), [{ ...big[0], total_bytes: 9.8 * GB }]));
    expect((await listAlerts(pool))[0].state).toBe("firing");
    c.advance(300);
    await feed(second, ok("table_stats", "prod", c.now(), [{ ...big[0], total_bytes: 9 * GB }]));
    expect((await listAlerts(pool))[0].state).toBe("resolved");
    const keys = (await pool.query(`SELECT idempotency_key FROM pgpulse.notification_outbox ORDER BY id`)).rows.map((r) => r.idempotency_key);
    expect(keys.map((k: string) => k.replace(/-\d+-/, "-N-"))).toEqual(["pgpulse-N-firing-hook", "pgpulse-N-resolved-hook"]);
    await second.stop();
  });

  it("accept() never throws: a malformed result is logged and later results still count", async () => {
    const c = clock();
    const errors: object[] = [];
    const engine = createAlertEngine({ pool, config, log: { ...quietLog, error: (o: object) => errors.push(o) }, now: c.now });
    await engine.start();
    expect(() => engine.accept({ status: "ok", metric: "db_stats", targetId: "prod", ts: new Date(c.now()), durationMs: 1, rows: null as never })).not.toThrow();
    expect(() => engine.accept({ status: "ok", metric: "stat_activity", targetId: "prod", ts: new Date(c.now()), durationMs: 1, rows: "nope" as never })).not.toThrow();
    expect(() => engine.accept(null as never)).not.toThrow();
    await engine.idle();
    expect(errors.length).toBeGreaterThanOrEqual(2);
    await feed(engine, ok("db_stats", "prod", c.now(), [{ datname: "kundli_db", blks_hit: 1, blks_read: 1, stats_reset_epoch: null, xid_age: 2e9 }]));
    expect((await listAlerts(pool)).map((a) => a.rule)).toEqual(["xid_wraparound"]);
    await engine.stop();
  });

  it("a matching silence records the state but queues no notification", async () => {
    const c = clock();
    await createSilence(pool, { matchers: { rule: "index_bloat", target: "prod", objectPattern: "public.*" }, startsAt: new Date(c.at(-60)), endsAt: new Date(c.at(3600)), reason: "reindex tonight" }, { name: "ana", role: "responder" }, { now: () => new Date(c.at(-60)) });
    const engine = await engineWith(c);
    await feed(engine, ok("index_bloat", "prod", c.now(), [{ schemaname: "public", tablename: "users", indexname: "idx_active_users", index_bytes: 50 * MB, bloat_percent: 55, bloat_source: "exact", reliable: true }]));
    const [a] = await listAlerts(pool);
    expect(a).toMatchObject({ rule: "index_bloat", objectKey: "public.idx_active_users", state: "firing", value: 55 });
    const ev = await pool.query(`SELECT to_state, details FROM pgpulse.alert_events WHERE alert_id = $1`, [a.id]);
    expect(ev.rows).toEqual([{ to_state: "firing", details: { severity: "warning", silencedBy: expect.any(Number) } }]);
    expect(await count("SELECT count(*) AS n FROM pgpulse.notification_outbox")).toBe(0);
    await engine.stop();
  });
});

describe("severity escalation", () => {
  const seq = (percent_used: number) => ({ schemaname: "public", sequencename: "users_id_seq", data_type: "bigint", column_name: "public.users.id", column_type: "integer", cycle: false, last_value: "1", limit_value: "2147483647", percent_used, last_value_unavailable: null });
  const outbox = async () =>
    (await pool.query(`SELECT channel_id, idempotency_key, payload->>'severity' AS severity, payload->>'state' AS state, payload->>'summary' AS summary FROM pgpulse.notification_outbox ORDER BY id`)).rows;

  it("a warning episode crossing the critical line escalates once: same alert, one more message per channel", async () => {
    const c = clock();
    let engine = await engineWith(c);
    await feed(engine, ok("sequences", "prod", c.now(), [seq(80)]));
    const [warning] = await listAlerts(pool);
    expect(warning).toMatchObject({ rule: "sequence_exhaustion", state: "firing", severity: "warning" });
    // The critical-only channel (slack) is not told of a warning.
    expect((await outbox()).map((r) => `${r.channel_id}:${r.severity}`)).toEqual(["hook:warning"]);

    c.advance(60);
    await feed(engine, ok("sequences", "prod", c.now(), [seq(95)]));
    const [escalated] = await listAlerts(pool);
    expect(escalated).toMatchObject({ id: warning.id, state: "firing", severity: "critical", value: 95 });
    expect(escalated.firedAt?.getTime()).toBe(c.at(0));
    const rows = await outbox();
    expect(rows.slice(1).map((r) => [r.idempotency_key, r.severity, r.state])).toEqual([
      [`pgpulse-${warning.id}-escalated-hook`, "critical", "firing"],
      [`pgpulse-${warning.id}-escalated-slack`, "critical", "firing"],
    ]);
    expect(rows[1].summary).toMatch(/^Now critical: .*: 95\.0 %, critical line > 90\.0 %$/);
    const events = await pool.query(`SELECT from_state, to_state, details->>'severity' AS severity FROM pgpulse.alert_events WHERE alert_id = $1 ORDER BY id`, [warning.id]);
    expect(events.rows.map((e) => `${e.from_state}>${e.to_state}:${e.severity}`)).toEqual(["inactive>firing:warning", "firing>firing:critical"]);

    // Back between the lines, over it again, and after a restart: still critical, nothing new.
    for (const v of [85, 97]) {
      c.advance(60);
      await feed(engine, ok("sequences", "prod", c.now(), [seq(v)]));
    }
    await engine.stop();
    engine = await engineWith(c);
    c.advance(60);
    await feed(engine, ok("sequences", "prod", c.now(), [seq(99)]));
    expect(await outbox()).toHaveLength(3);
    expect((await listAlerts(pool))[0]).toMatchObject({ id: warning.id, severity: "critical" });

    // Resolved (the sequence went to bigint and left the list): both channels told of it hear it.
    c.advance(60);
    await feed(engine, ok("sequences", "prod", c.now(), []));
    const last = (await outbox()).slice(3);
    expect(last.map((r) => `${r.channel_id}:${r.state}:${r.severity}`)).toEqual(["hook:resolved:critical", "slack:resolved:critical"]);
    expect(await count("SELECT count(*) AS n FROM pgpulse.alerts")).toBe(1);
    await engine.stop();
  });

  it("past the critical line from the start: one critical firing, no escalation step", async () => {
    const c = clock();
    const engine = await engineWith(c);
    const lag = (seconds: number) => ({ application_name: "replica1", client_addr: "10.0.0.2", state: "streaming", sync_state: "async", replay_lag_seconds: seconds, replay_bytes_behind: 1024 });
    for (let i = 0; i < 3; i++) {
      await feed(engine, ok("replication", "prod", c.now(), [lag(400 + i)]));
      c.advance(30);
    }
    const [a] = await listAlerts(pool);
    expect(a).toMatchObject({ rule: "replication_lag", objectKey: "standby:replica1", state: "firing", severity: "critical" });
    expect((await outbox()).map((r) => r.idempotency_key)).toEqual([`pgpulse-${a.id}-firing-hook`, `pgpulse-${a.id}-firing-slack`]);
    await engine.stop();
  });
});

describe("every rule, driven by real-shaped results", () => {
  const states = async () => (await listAlerts(pool, { state: ["pending", "firing", "resolved"] })).map((a) => `${a.rule}:${a.objectKey}:${a.state}`).sort();

  it("slow_query fires at once and resolves after 10 quiet minutes", async () => {
    const c = clock();
    const e = await engineWith(c);
    await feed(e, ok("slow_queries", "prod", c.now(), [
      { source: "slow_query_log", fingerprint: "a", query: "select * from birth_charts", duration_ms: 1800, calls: 1 },
      { source: "pg_stat_statements", fingerprint: "b", query: "select 1", duration_ms: 3, calls: 900 },
    ]));
    expect(await states()).toEqual(["slow_query:a:firing"]);
    c.advance(540);
    await feed(e, ok("slow_queries", "prod", c.now(), []));
    expect(await states()).toEqual(["slow_query:a:firing"]);
    c.advance(60);
    await feed(e, ok("slow_queries", "prod", c.now(), []));
    expect(await states()).toEqual(["slow_query:a:resolved"]);
    await e.stop();
  });

  it("cache_hit_ratio fires on a window ratio below 90 %, not below the access floor", async () => {
    const c = clock();
    const e = await engineWith(c);
    const row = (datname: string, hit: number, read: number) => ({ datname, xact_commit: 1, xact_rollback: 0, blks_read: read, blks_hit: hit, numbackends: 3, stats_reset_epoch: 1_700_000_000, xid_age: 1000 });
    let hit = 5_000_000;
    let read = 1000;
    let idleHit = 100;
    let idleRead = 100;
    const tick = async (dHit: number, dRead: number) => {
      hit += dHit;
      read += dRead;
      idleHit += 5; // a quiet database at 50 %: far below the 1,000-access floor
      idleRead += 5;
      await feed(e, ok("db_stats", "prod", c.now(), [row("kundli_db", hit, read), row("quiet", idleHit, idleRead)]));
      c.advance(15);
    };
    for (let i = 0; i < 20; i++) await tick(10_000, 10); // 99.9 % for five minutes
    expect(await states()).toEqual([]);
    for (let i = 0; i < 8; i++) await tick(6_000, 4_000); // 60 %: the window ratio sinks
    const alerts = await listAlerts(pool);
    expect(alerts.map((a) => `${a.rule}:${a.objectKey}:${a.state}`)).toEqual(["cache_hit_ratio:db:kundli_db:firing"]);
    expect(alerts[0].value!).toBeLessThan(90);
    expect(alerts[0].value!).toBeGreaterThan(60);
    expect(alerts[0].details).toMatchObject({ windowSeconds: 300 });
    for (let i = 0; i < 25; i++) await tick(10_000, 0); // recovered: the window climbs past 92 %
    expect(await states()).toEqual(["cache_hit_ratio:db:kundli_db:resolved"]);
    await e.stop();
  });

  it("target_down, connection_saturation, sessions, blocked sessions and xid age", async () => {
    const c = clock();
    const e = await engineWith(c);
    const conns = (total: number) => ok("connections", "prod", c.now(), [{ max_connections: 100, usable: 97, total, saturation: total / 97 }]);
    const sessions = (rows: Record<string, unknown>[]) => ok("stat_activity", "prod", c.now(), rows);
    const session = (over: Record<string, unknown>) => ({ usename: "app", application_name: "api", state: "active", wait_event_type: null, wait_event: null, xact_start: null, query_start: null, state_change: null, query: "select 1", query_id: null, blocked_by: [], query_ms: 0, xact_ms: 0, state_ms: 0, hidden: false, ...over });

    await feed(e, conns(90));
    expect(await states()).toEqual(["connection_saturation:connections:pending"]);
    c.advance(60);
    await feed(e, conns(91));
    expect(await states()).toEqual(["connection_saturation:connections:firing"]);

    await feed(e, sessions([
      session({ pid: 101, state: "idle in transaction", state_ms: 400_000, xact_ms: 1_200_000 }),
      session({ pid: 102, state: "active", xact_ms: 1_000_000, state_ms: 5_000 }),
      session({ pid: 103, state: "active", wait_event_type: "Lock", wait_event: "transactionid", blocked_by: [101], state_ms: 90_000, xact_ms: 90_000 }),
      session({ pid: 104, state: "idle in transaction", state_ms: 999_999, xact_ms: 999_999, hidden: true }),
    ]));
    await feed(e, ok("db_stats", "prod", c.now(), [{ datname: "kundli_db", blks_hit: 1, blks_read: 1, stats_reset_epoch: null, xid_age: 1_600_000_000 }, { datname: "postgres", blks_hit: 1, blks_read: 1, stats_reset_epoch: null, xid_age: 900 }]));
    expect(await states()).toEqual([
      "blocked_sessions:locks:firing",
      "connection_saturation:connections:firing",
      "idle_in_transaction:pid:101:firing",
      "long_transaction:pid:101:firing",
      "long_transaction:pid:102:firing",
      "xid_wraparound:db:kundli_db:firing",
    ]);
    const blocked = (await listAlerts(pool, { rule: "blocked_sessions" }))[0];
    expect(blocked.details).toMatchObject({ count: 1, pids: [103], blockers: [101] });

    // pid 101 ended (its lock released): its alerts and the lock alert resolve; 102 goes on.
    c.advance(3);
    await feed(e, sessions([session({ pid: 102, state: "active", xact_ms: 1_003_000, state_ms: 8_000 })]));
    expect(await states()).toEqual([
      "blocked_sessions:locks:resolved",
      "connection_saturation:connections:firing",
      "idle_in_transaction:pid:101:resolved",
      "long_transaction:pid:101:resolved",
      "long_transaction:pid:102:firing",
      "xid_wraparound:db:kundli_db:firing",
    ]);

    // target_down waits 30 s; meanwhile the other alerts hold (no results from a down target).
    await feed(e, ok("up", "prod", c.now(), [{ up: 0, error: "timeout" }]));
    c.advance(30);
    await feed(e, ok("up", "prod", c.now(), [{ up: 0, error: "timeout" }]), { status: "error", metric: "connections", targetId: "prod", ts: new Date(c.now()), durationMs: 5000, error: "timeout" });
    expect((await listAlerts(pool, { rule: "target_down" }))[0].state).toBe("firing");
    expect((await listAlerts(pool, { rule: "connection_saturation" }))[0].state).toBe("firing");
    await e.stop();
  });

  it("table_size ignores partitions; index_bloat ignores unreliable estimates and small indexes", async () => {
    const c = clock();
    const e = await engineWith(c);
    await feed(e, ok("table_stats", "prod", c.now(), [
      { schemaname: "public", relname: "birth_charts", total_bytes: 11 * GB, parent: null, is_partitioned: true },
      { schemaname: "public", relname: "birth_charts_2024_01", total_bytes: 10.5 * GB, parent: "birth_charts", is_partitioned: false },
      { schemaname: "public", relname: "users", total_bytes: 1 * GB, parent: null, is_partitioned: false },
    ]));
    await feed(e, ok("index_bloat", "prod", c.now(), [
      { schemaname: "public", tablename: "birth_charts", indexname: "idx_birth_charts_composite", index_bytes: 200 * MB, bloat_percent: 70, bloat_source: "estimate", reliable: false, unreliable_reason: "deduplicated btree" },
      { schemaname: "public", tablename: "users", indexname: "idx_active_users", index_bytes: 5 * MB, bloat_percent: 60, bloat_source: "exact", reliable: true },
      { schemaname: "public", tablename: "query_cache", indexname: "idx_query_cache_expiry", index_bytes: 30 * MB, bloat_percent: 35, bloat_source: "estimate", reliable: true },
    ]));
    expect(await states()).toEqual(["index_bloat:public.idx_query_cache_expiry:firing", "table_size:public.birth_charts:firing"]);
    await e.stop();
  });
});
