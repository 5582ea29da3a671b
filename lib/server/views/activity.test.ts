import { beforeAll, describe, expect, it } from "vitest";
import { loadSqlParser, redactSql } from "@/lib/analysis/sql-text";
import type { MetricResult } from "@/lib/metrics/types";
import { toActivity } from "./activity";
import { availabilityMap, unavailableReason } from "./availability";

const T = new Date("2026-03-01T10:00:00Z");

function sessionRow(pid: number, over: Record<string, unknown> = {}) {
  return {
    pid, datname: "kundli_db", usename: "app", application_name: "api", client_addr: "10.0.0.5",
    state: "active", wait_event_type: null, wait_event: null,
    backend_start: new Date("2026-03-01T09:00:00Z"), xact_start: new Date("2026-03-01T09:59:50Z"),
    query_start: new Date("2026-03-01T09:59:58Z"), state_change: new Date("2026-03-01T09:59:58Z"),
    query: "SELECT * FROM users WHERE email = 'a@b.c'", query_id: "-123", blocked_by: [],
    query_ms: 2000, xact_ms: 10_000, state_ms: 2000, lock_wait_ms: null, hidden: false, ...over,
  };
}

const ok = (metric: string, rows: Record<string, unknown>[]): MetricResult => ({ status: "ok", metric, targetId: "t", ts: T, durationMs: 3, rows });

const connections = ok("connections", [{ max_connections: 100, superuser_reserved_connections: 3, reserved_connections: null, total: 6, usable: 97, saturation: 6 / 97 }]);

describe("toActivity", () => {
  beforeAll(() => loadSqlParser());

  it("maps sessions, counts states, and builds the tree A → B → C", () => {
    const rows = [
      sessionRow(10, { state: "idle in transaction", query_ms: null, query: "UPDATE users SET name = 'x' WHERE id = 1" }),
      sessionRow(11, { wait_event_type: "Lock", wait_event: "transactionid", blocked_by: [10], query_ms: 5000 }),
      sessionRow(12, { wait_event_type: "Lock", wait_event: "tuple", blocked_by: [11], query_ms: 3000 }),
      sessionRow(13, { state: "idle", query_ms: null }),
      sessionRow(14, { state: null, usename: null, query: "<insufficient privilege>", hidden: true, query_ms: null, xact_ms: null }),
    ];
    const a = toActivity({ targetId: "t", cadenceMs: 3_000, statActivity: ok("stat_activity", rows), connections, unavailable: null, poolSize: 20, redact: (s) => s });
    expect(a.takenAt).toBe(T.toISOString());
    expect(a.sessions.map((s) => s.pid)).toEqual([10, 11, 12, 13, 14]);
    expect(a.sessions[1]).toMatchObject({ durationMs: 5000, xactAgeMs: 10_000, blockedBy: [10], queryId: "-123", xactStart: "2026-03-01T09:59:50.000Z" });
    expect(a.countsByState).toEqual({ total: 5, active: 2, idle: 1, idleInTransaction: 1, idleInTransactionAborted: 0, other: 0, hidden: 1, waitingLock: 2 });
    // Slots count pgpulse's own sessions too: the connections sample's total, not the table's.
    expect(a.saturation).toEqual({ total: 6, usable: 97, max: 100, ratio: 6 / 97 });
    expect(a.poolSize).toBe(20);
    expect(a.blockerTree).toHaveLength(1);
    const root = a.blockerTree[0];
    expect(root.pid).toBe(10);
    expect(root.children.map((c) => c.pid)).toEqual([11]);
    expect(root.children[0].children.map((c) => c.pid)).toEqual([12]);
    expect(root.blockedCount).toBe(2);
    expect(root.branchWaitingMs).toBe(5000);
  });

  it("redacts literals for viewers but leaves the hidden-row placeholder alone", () => {
    const rows = [sessionRow(1), sessionRow(2, { query: "<insufficient privilege>", hidden: true, state: null })];
    const a = toActivity({ targetId: "t", cadenceMs: 3_000, statActivity: ok("stat_activity", rows), connections: undefined, unavailable: null, poolSize: null, redact: redactSql });
    expect(a.sessions[0].query).not.toContain("a@b.c");
    expect(a.sessions[0].query).toContain("$1");
    expect(a.sessions[1].query).toBe("<insufficient privilege>");
    // No connections sample: the table's count, and no ratio without usable slots.
    expect(a.saturation).toEqual({ total: 2, usable: null, max: null, ratio: null });
  });

  it("tells no data yet from zero sessions", () => {
    const none = toActivity({ targetId: "t", cadenceMs: 3_000, statActivity: undefined, connections: undefined, unavailable: null, poolSize: null, redact: (s) => s });
    expect(none.takenAt).toBeNull();
    const zero = toActivity({ targetId: "t", cadenceMs: 3_000, statActivity: ok("stat_activity", []), connections, unavailable: null, poolSize: null, redact: (s) => s });
    expect(zero.takenAt).toBe(T.toISOString());
    expect(zero.countsByState.total).toBe(0);
  });

  it("reads rows that went through the store's jsonb (ISO strings, string numbers)", () => {
    const row = JSON.parse(JSON.stringify(sessionRow(5, { query_ms: "1500.5" })));
    const a = toActivity({ targetId: "t", cadenceMs: 3_000, statActivity: ok("stat_activity", [row]), connections: undefined, unavailable: null, poolSize: null, redact: (s) => s });
    expect(a.sessions[0].durationMs).toBe(1500.5);
    expect(a.sessions[0].queryStart).toBe("2026-03-01T09:59:58.000Z");
  });
});

describe("unavailableReason", () => {
  it("prefers the snapshot, falls back to the store, and ignores errors", () => {
    const un: MetricResult = { status: "unavailable", metric: "slow_queries", targetId: "t", ts: T, reason: "pg_stat_statements is not installed" };
    expect(unavailableReason(un, null, "slow_queries")).toBe("unavailable: pg_stat_statements is not installed");
    expect(unavailableReason(ok("slow_queries", []), [{ metric: "slow_queries", status: "unavailable", reason: "x" }], "slow_queries")).toBeNull();
    expect(unavailableReason(undefined, [{ metric: "slow_queries", status: "unavailable", reason: "unavailable: no table" }], "slow_queries")).toBe("unavailable: no table");
    expect(unavailableReason(undefined, [{ metric: "slow_queries", status: "error", reason: "timeout" }], "slow_queries")).toBeNull();
    expect(unavailableReason(undefined, null, "slow_queries")).toBeNull();
  });
});

describe("availabilityMap", () => {
  it("snapshot over store over pending", () => {
    const un: MetricResult = { status: "unavailable", metric: "slow_queries", targetId: "t", ts: T, reason: "pg_stat_statements is not installed" };
    const m = availabilityMap(
      { slow_queries: un, stat_activity: ok("stat_activity", []) },
      ["index_bloat", "stat_activity", "slow_queries"],
      [{ metric: "table_stats", status: "error", reason: "canceling statement due to lock timeout" }],
    );
    expect(m.slow_queries).toEqual({ status: "unavailable", reason: "unavailable: pg_stat_statements is not installed", lastSampleAt: null, intervalMs: null });
    expect(m.stat_activity).toMatchObject({ status: "ok", lastSampleAt: T.toISOString() });
    expect(m.index_bloat.status).toBe("pending");
    expect(m.table_stats).toMatchObject({ status: "error", reason: "canceling statement due to lock timeout" });
  });
});
