import { describe, expect, it } from "vitest";
import { configSchema } from "@/lib/config/schema";
import { evaluate } from "../evaluate";
import { resolveRule } from "../rules";
import { INACTIVE, type RuleId } from "../types";
import { EXTRACTORS, RULES_BY_METRIC, createWindowedInputs } from ".";

// Replication, backups, sequences and vacuum: rows shaped like their metric definitions'.

const cfg = configSchema.parse({});
const rule = (id: RuleId) => resolveRule(id, cfg);
const NOW = Date.UTC(2026, 0, 5, 12);
const GB = 1024 ** 3;
const at = (metric: string) => ({ now: NOW, metric });
const keyed = (obs: Array<{ objectKey: string; value: number | null; forced?: string }>) => obs.map((o) => [o.objectKey, o.value, o.forced ?? false]);

describe("sequence_exhaustion", () => {
  const seq = (name: string, percent_used: number | null, over: Record<string, unknown> = {}) => ({
    schemaname: "public", sequencename: name, data_type: "bigint", column_name: `public.t.${name}`, column_type: "integer",
    cycle: false, increment_by: "1", last_value: "1", limit_value: "2147483647", percent_used, last_value_unavailable: null, ...over,
  });

  it("one per sequence, CYCLE ones left out, unreadable ones held", () => {
    const obs = EXTRACTORS.sequence_exhaustion!(
      [seq("a", 92.5), seq("b", 80), seq("c", 99, { cycle: true }), seq("d", null, { last_value_unavailable: "no_privilege" })],
      rule("sequence_exhaustion"),
      at("sequences"),
    );
    expect(keyed(obs)).toEqual([
      ["sequence:public.a", 92.5, false],
      ["sequence:public.b", 80, false],
      ["sequence:public.d", null, false],
    ]);
    expect(obs[2].details.unavailable).toBe("no_privilege");
  });

  it("warns past 75 %, critical past 90 %", () => {
    expect(rule("sequence_exhaustion")).toMatchObject({ threshold: 75, criticalThreshold: 90, severity: "warning", unit: "percent" });
  });
});

describe("replication_slot_inactive", () => {
  const slot = (slot_name: string, active: boolean, retained_bytes: number | null, wal_status: string | null) => ({ slot_name, slot_type: "physical", active, retained_bytes, wal_status, safe_wal_size: null });

  it.each([
    ["an inactive slot over 5 GB", slot("s", false, 6 * GB, "extended"), [["slot:s", 6 * GB, false]], true],
    ["an inactive slot under 5 GB", slot("s", false, 1 * GB, "reserved"), [["slot:s", 1 * GB, false]], false],
    ["an active slot, however large", slot("s", true, 50 * GB, "extended"), [], false],
    ["a lost slot with no restart_lsn", slot("s", false, null, "lost"), [["slot:s", null, "WAL lost"]], true],
    ["an active slot whose WAL is unreserved", slot("s", true, 1 * GB, "unreserved"), [["slot:s", 1 * GB, "WAL unreserved"]], true],
  ])("%s", (_name, row, expected, breach) => {
    const obs = EXTRACTORS.replication_slot_inactive!([row], rule("replication_slot_inactive"), at("replication_slots"));
    expect(keyed(obs)).toEqual(expected);
    const r = { ...rule("replication_slot_inactive"), forSeconds: 0 };
    expect(obs.length > 0 && evaluate(r, obs[0], INACTIVE, NOW).state.state === "firing").toBe(breach);
  });
});

describe("backup_stale", () => {
  const row = (age: number | null, lastFinished: Date | null) => ({ last_ok_label: age === null ? null : "nightly", last_ok_age_seconds: age, last_finished_at: lastFinished, last_ok: age !== null });

  it.each([
    ["a backup 30 h old breaches 26 h", row(30 * 3600, new Date(NOW)), 30 * 3600, false, true],
    ["a backup 2 h old does not", row(2 * 3600, new Date(NOW)), 2 * 3600, false, false],
    ["runs logged, none successful: forced", row(null, new Date(NOW)), null, "runs logged, none successful", true],
    ["an empty log: no value, held", row(null, null), null, false, false],
  ])("%s", (_name, r, value, forced, breach) => {
    const [o] = EXTRACTORS.backup_stale!([r], rule("backup_stale"), at("backups"));
    expect([o.objectKey, o.value, o.forced ?? false]).toEqual(["backups", value, forced]);
    expect(evaluate(rule("backup_stale"), o, INACTIVE, NOW).state.state === "firing").toBe(breach);
  });
});

describe("vacuum_behind", () => {
  const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000);
  const table = (relname: string, live: number, dead: number, lastVacuum: Date | null, lastAuto: Date | null, over: Record<string, unknown> = {}) => ({
    schemaname: "public", relname, is_partitioned: false, parent: null, n_live_tup: live, n_dead_tup: dead,
    dead_ratio: live + dead === 0 ? null : dead / (live + dead), last_vacuum: lastVacuum, last_autovacuum: lastAuto, ...over,
  });

  it("tables over 10,000 tuples, not vacuumed for an hour, valued by the dead share in percent", () => {
    const obs = EXTRACTORS.vacuum_behind!(
      [
        table("never", 60_000, 20_000, null, null),
        table("stale", 60_000, 20_000, hoursAgo(3), hoursAgo(2)),
        table("fresh_auto", 60_000, 20_000, hoursAgo(30), hoursAgo(0.5)),
        table("fresh_manual", 60_000, 20_000, hoursAgo(0.2), null),
        table("small", 5_000, 5_000, null, null),
        table("parent", 60_000, 40_000, null, null, { is_partitioned: true }),
      ],
      rule("vacuum_behind"),
      at("table_stats"),
    );
    expect(keyed(obs)).toEqual([
      ["table:public.never", 25, false],
      ["table:public.stale", 25, false],
    ]);
    expect(obs[0].details).toMatchObject({ deadTuples: 20_000, liveTuples: 60_000 });
  });

  it("the no-vacuum window follows windowSeconds", () => {
    const r = { ...rule("vacuum_behind"), windowSeconds: 4 * 3600 };
    expect(rule("vacuum_behind").windowSeconds).toBe(3600);
    expect(EXTRACTORS.vacuum_behind!([table("stale", 60_000, 20_000, hoursAgo(3), null)], r, at("table_stats"))).toEqual([]);
  });
});

describe("replication_lag", () => {
  const standby = (name: string, lag: number | null, bytes: number | null) => ({ application_name: name, client_addr: "10.0.0.2", state: "streaming", sync_state: "async", replay_lag_seconds: lag, replay_bytes_behind: bytes });

  it("on a primary: one per standby; caught up and idle reads 0; over 1 GB behind is forced", () => {
    const obs = EXTRACTORS.replication_lag!(
      [standby("r1", 90, 10), standby("r2", null, 0), standby("r3", null, 4096), standby("r4", 2, 2 * GB), standby("r5", 400, 10)],
      rule("replication_lag"),
      at("replication"),
    );
    expect(keyed(obs)).toEqual([
      ["standby:r1", 90, false],
      ["standby:r2", 0, false],
      ["standby:r3", null, false],
      ["standby:r4", 2, "2.0 GiB behind, over 1.0 GiB"],
      ["standby:r5", 400, false],
    ]);
    // r5 is past the critical line: the evaluator, not the input, makes it critical.
    const r = { ...rule("replication_lag"), forSeconds: 0 };
    expect(obs.map((o) => evaluate(r, o, INACTIVE, NOW).state.severity)).toEqual(["warning", null, null, "warning", "critical"]);
  });

  it("on a standby: its own replay delay", () => {
    const [o] = EXTRACTORS.replication_lag!([{ replay_delay_seconds: 75, replay_bytes_pending: 100, replay_paused: true, receiver_status: "streaming" }], rule("replication_lag"), at("standby_status"));
    expect(o).toMatchObject({ objectKey: "replay", value: 75, details: { paused: true, bytesBehind: 100 } });
    expect(o.forced).toBeUndefined();
  });

  it("both sides feed the rule", () => {
    expect(RULES_BY_METRIC.replication).toContain("replication_lag");
    expect(RULES_BY_METRIC.standby_status).toContain("replication_lag");
  });
});

describe("archive_failing window", () => {
  const r = rule("archive_failing");
  const METRIC = "archiver";
  const t0 = NOW;
  const min = (m: number) => t0 + m * 60_000;
  const row = (failed: number, lastFailedAt: number | null, lastArchivedAt: number | null, reset = t0 - 86_400_000) => ({
    archived_count: 10, failed_count: failed, last_failed_wal: "000000010000000000000007",
    last_failed_time: lastFailedAt === null ? null : new Date(lastFailedAt), last_archived_time: lastArchivedAt === null ? null : new Date(lastArchivedAt), stats_reset: new Date(reset),
  });
  const feed = (samples: Array<[number, ReturnType<typeof row>]>) => {
    const w = createWindowedInputs().archive_failing!;
    for (const [ts, rw] of samples) w.add("t", ts, [rw], r.windowSeconds * 1000, METRIC);
    const [ts, last] = samples[samples.length - 1];
    return w.observations("t", ts, [last], r, METRIC)[0];
  };

  it("counts failures over the window, not the last interval", () => {
    // Failures at minutes 1 and 3; the sample at minute 4 saw none since the one before.
    const o = feed([[min(0), row(5, min(-30), min(-20))], [min(1), row(6, min(1), min(-20))], [min(3), row(7, min(3), min(-20))], [min(4), row(7, min(3), min(-20))]]);
    expect(o).toMatchObject({ objectKey: "archiver", value: 2, details: { failures: 2, windowSeconds: 600 } });
    expect(evaluate(r, o, INACTIVE, min(4)).state.state).toBe("firing");
  });

  it("a segment archived after the last failure means recovered: 0", () => {
    const o = feed([[min(0), row(5, min(-1), min(-20))], [min(2), row(6, min(1), min(-20))], [min(3), row(6, min(1), min(2))]]);
    expect(o.value).toBe(0);
    expect(o.details.failures).toBe(1);
  });

  it("failures older than the window no longer count", () => {
    const o = feed([[min(0), row(5, min(0), min(-20))], [min(1), row(6, min(1), min(-20))], [min(12), row(6, min(1), min(-20))], [min(13), row(6, min(1), min(-20))]]);
    expect(o.value).toBe(0);
  });

  it("a single sample (after a restart) holds; a stats reset is a gap, not a negative count", () => {
    expect(feed([[min(0), row(5, min(0), null)]]).value).toBeNull();
    const o = feed([[min(0), row(50, min(0), null)], [min(1), row(1, min(1), null, min(0.5))], [min(2), row(3, min(2), null, min(0.5))]]);
    expect(o.value).toBe(2);
    expect(r).toMatchObject({ threshold: 0, windowSeconds: 600, severity: "critical", unit: "count" });
  });
});

describe("checkpoints_requested window", () => {
  const r = rule("checkpoints_requested");
  const METRIC = "checkpoints";
  const min = (m: number) => NOW + m * 60_000;
  const row = (timed: number, requested: number, reset = NOW - 86_400_000) => ({ timed, requested, checkpointer_stats_reset: new Date(reset) });
  const feed = (samples: Array<[number, ReturnType<typeof row>]>) => {
    const w = createWindowedInputs().checkpoints_requested!;
    for (const [ts, rw] of samples) w.add("t", ts, [rw], r.windowSeconds * 1000, METRIC);
    const [ts, last] = samples[samples.length - 1];
    return w.observations("t", ts, [last], r, METRIC)[0];
  };

  it.each([
    ["mostly requested over the hour", [[min(0), row(100, 10)], [min(30), row(102, 16)], [min(60), row(104, 22)]], 75],
    ["mostly timed", [[min(0), row(100, 10)], [min(60), row(112, 11)]], (1 / 13) * 100],
    ["only the last hour counts", [[min(0), row(100, 10)], [min(10), row(100, 50)], [min(80), row(110, 50)], [min(90), row(112, 51)]], (1 / 13) * 100],
    ["too few checkpoints to judge", [[min(0), row(100, 10)], [min(60), row(101, 1 + 10)]], null],
    ["a single sample", [[min(0), row(100, 10)]], null],
  ] as Array<[string, Array<[number, ReturnType<typeof row>]>, number | null]>)("%s", (_name, samples, value) => {
    const o = feed(samples);
    expect(o.objectKey).toBe("checkpoints");
    if (value === null) expect(o.value).toBeNull();
    else expect(o.value).toBeCloseTo(value, 6);
  });

  it("informs past half, over an hour", () => {
    expect(r).toMatchObject({ threshold: 50, clearThreshold: 40, windowSeconds: 3600, severity: "info", unit: "percent" });
  });
});

describe("standby_down", () => {
  const status = (receiver_status: string | null, receive_lsn: string | null) => ({ receiver_status, receive_lsn, sender_host: "10.0.0.1", last_msg_receipt_time: null });

  it.each([
    ["streaming: up", status("streaming", "0/3000000"), [["receiver", 1, false]], false],
    ["receiver waiting: down", status("waiting", "0/3000000"), [["receiver", 0, false]], true],
    ["no receiver after having streamed: down", status(null, "0/3000000"), [["receiver", 0, false]], true],
    ["restoring from an archive only: nothing to watch", status(null, null), [], false],
  ])("%s", (_name, row, expected, breach) => {
    const obs = EXTRACTORS.standby_down!([row], rule("standby_down"), at("standby_status"));
    expect(keyed(obs)).toEqual(expected);
    const r = { ...rule("standby_down"), forSeconds: 0 };
    expect(obs.length > 0 && evaluate(r, obs[0], INACTIVE, NOW).state.state === "firing").toBe(breach);
  });
});
