import { describe, expect, it } from "vitest";
import { alertSchema } from "@/lib/api/alerts";
import type { Silence } from "@/lib/alerts/actions";
import type { Alert } from "@/lib/alerts/read";
import { eventNote, silenceFor, summarizeAlert, toAlertView, toEventView, unitOf } from "./alerts-view";

const MB = 1024 ** 2;
const NOW = Date.UTC(2026, 0, 5, 9);

function alert(over: Partial<Alert>): Alert {
  return {
    id: 7,
    rule: "table_size",
    targetId: "prod",
    objectKey: "public.audit_log",
    labels: {},
    state: "firing",
    severity: "warning",
    value: 142 * MB,
    threshold: 128 * MB,
    since: new Date(NOW - 600_000),
    firedAt: new Date(NOW - 600_000),
    resolvedAt: null,
    lastEvalAt: new Date(NOW),
    acknowledgedBy: null,
    acknowledgedAt: null,
    ackComment: null,
    details: {},
    ...over,
  };
}

function silence(over: Partial<Silence>): Silence {
  return {
    id: 3,
    matchers: { rule: "table_size" },
    startsAt: new Date(NOW - 60_000),
    endsAt: new Date(NOW + 3_600_000),
    reason: "archiving tonight",
    createdBy: "ana",
    createdAt: new Date(NOW - 60_000),
    expiredAt: null,
    expiredBy: null,
    active: true,
    ...over,
  };
}

const plain = { showSql: (s: string) => s, targetName: (id: string) => (id === "prod" ? "Production" : undefined) };
const opts = (silences: Silence[] = []) => ({ ...plain, silences, now: NOW });

describe("summarizeAlert", () => {
  it.each([
    [alert({}), "public.audit_log is 142 MB (threshold 128 MB)"],
    [alert({ rule: "index_bloat", objectKey: "public.idx_active_users", value: 41.25, threshold: 30 }), "public.idx_active_users is 41.3 % bloated (threshold 30 %)"],
    [alert({ rule: "cache_hit_ratio", objectKey: "db:kundli_db", value: 84.04, threshold: 90 }), "Cache hit ratio of kundli_db is 84 % (threshold 90 %)"],
    [alert({ rule: "target_down", objectKey: "target", value: 0, threshold: 1, details: { error: "connect ECONNREFUSED at postgres://mon:pw@db:5432/x" } }), "Production is unreachable: connection refused: is the server running and listening on that address and port?"],
    [alert({ rule: "target_down", objectKey: "target", value: 0, threshold: 1, details: { error: 'password authentication failed for user "pgpulse_monitor"' } }), "Production is unreachable: authentication failed: check the user name, the password and pg_hba.conf"],
    [alert({ rule: "target_down", targetId: "other", objectKey: "target", value: 0, threshold: 1, details: {} }), "other is unreachable"],
    [alert({ rule: "connection_saturation", objectKey: "connections", value: 93.81, threshold: 80, details: { total: 91, usable: 97 } }), "91 of 97 usable connections in use: 93.8 % (threshold 80 %)"],
    [alert({ rule: "idle_in_transaction", objectKey: "pid:101", labels: { pid: "101", user: "app", application: "api" }, value: 400, threshold: 300 }), "Session 101 (app, api) idle in transaction for 6 min 40 s (threshold 5 min)"],
    [alert({ rule: "long_transaction", objectKey: "pid:102", labels: { pid: "102", user: "", application: "" }, value: 1000, threshold: 900 }), "Session 102 has had a transaction open for 16 min 40 s (threshold 15 min)"],
    [alert({ rule: "blocked_sessions", objectKey: "locks", value: 90, threshold: 60, details: { count: 1 } }), "1 session waiting on a lock, the longest for 1 min 30 s (threshold 1 min)"],
    [alert({ rule: "xid_wraparound", objectKey: "db:kundli_db", value: 1.6e9, threshold: 1.5e9 }), "Transaction ID age of kundli_db is 1.60 billion (threshold 1.50 billion)"],
    [alert({ rule: "xid_wraparound", objectKey: "db:kundli_reports", value: 2_000_039, threshold: 1_500_000 }), "Transaction ID age of kundli_reports is 2.00 million (threshold 1.50 million)"],
    [alert({ rule: "table_size", value: null }), "public.audit_log is — (threshold 128 MB)"],
    [alert({ rule: "sequence_exhaustion", objectKey: "sequence:public.orders_id_seq", value: 91.26, threshold: 75, severity: "critical", details: { column: "public.orders.id" } }), "Sequence public.orders_id_seq (feeding public.orders.id) has used 91.3 % of its range (threshold 75 %), past the critical line"],
    [alert({ rule: "sequence_exhaustion", objectKey: "sequence:public.orders_id_seq", value: 80, threshold: 75, details: { column: "public.orders.id" } }), "Sequence public.orders_id_seq (feeding public.orders.id) has used 80 % of its range (threshold 75 %)"],
    [alert({ rule: "archive_stale", objectKey: "archiver", value: 1200, threshold: 900, details: { segmentsWaiting: 2, lastArchivedWal: "000000010000000000000003" } }), "Nothing archived for 20 min while WAL is written (2 segments waiting), last archived 000000010000000000000003 (threshold 15 min)"],
    [alert({ rule: "replication_slot_inactive", objectKey: "slot:old_replica", value: 6 * 1024 * MB, threshold: 5 * 1024 * MB, details: { walStatus: "extended" } }), "Replication slot old_replica is inactive, holding 6 GB of WAL (threshold 5 GB)"],
    [alert({ rule: "replication_slot_inactive", objectKey: "slot:gone", value: null, threshold: 5 * 1024 * MB, details: { walStatus: "lost" } }), "Replication slot gone is inactive, holding — of WAL (threshold 5 GB), WAL lost"],
    [alert({ rule: "backup_stale", objectKey: "backups", value: 30 * 3600, threshold: 26 * 3600 }), "Newest successful backup is 1 d 6 h old (threshold 1 d 2 h)"],
    [alert({ rule: "backup_stale", objectKey: "backups", value: null, threshold: 26 * 3600 }), "No successful backup recorded"],
    [alert({ rule: "vacuum_behind", objectKey: "table:public.events", value: 34.5, threshold: 20 }), "public.events is 34.5 % dead tuples with no recent vacuum (threshold 20 %)"],
    [alert({ rule: "replication_lag", objectKey: "standby:replica1", value: 90, threshold: 60, details: { bytesBehind: 2 * MB } }), "Standby replica1 replays 1 min 30 s behind, 2 MB of WAL (threshold 1 min)"],
    [alert({ rule: "archive_failing", objectKey: "archiver", value: 4, threshold: 0, details: { windowSeconds: 600, lastFailedWal: "000000010000000000000003" } }), "WAL archiving failed 4 times in 10 min, last on 000000010000000000000003"],
    [alert({ rule: "checkpoints_requested", objectKey: "checkpoints", value: 75, threshold: 50, details: { windowSeconds: 3600 } }), "75 % of checkpoints in 1 h were requested, not timed (threshold 50 %)"],
    [alert({ rule: "standby_down", objectKey: "receiver", value: 0, threshold: 1, details: { status: "waiting" } }), "Production is not streaming from its primary (WAL receiver waiting)"],
    [alert({ rule: "standby_down", objectKey: "receiver", value: 0, threshold: 1, details: { status: null } }), "Production is not streaming from its primary (WAL receiver not running)"],
    [alert({ rule: "replication_lag", objectKey: "replay", value: 400, threshold: 60, details: { bytesBehind: null } }), "This standby replays 6 min 40 s behind (threshold 1 min)"],
  ])("%#: %s", (a, text) => {
    expect(summarizeAlert(a, plain)).toBe(text);
  });

  it("slow queries show the statement the way the caller may see it", () => {
    const a = alert({ rule: "slow_query", objectKey: "fp1", value: 1500, threshold: 1000, details: { query: "select *\n  from birth_charts where place = 'Pune'" } });
    expect(summarizeAlert(a, plain)).toBe("Statement took 1.5 s (threshold 1 s): select * from birth_charts where place = 'Pune'");
    expect(summarizeAlert(a, { showSql: (s) => s.replace(/'[^']*'/g, "$1") })).toBe("Statement took 1.5 s (threshold 1 s): select * from birth_charts where place = $1");
    expect(summarizeAlert({ ...a, details: {} }, plain)).toBe("Statement took 1.5 s (threshold 1 s) fp1");
  });

  it("a statement caught running reads 'running for' while open, 'ran for at least' once resolved", () => {
    const a = alert({ rule: "slow_query", objectKey: "fp2", value: 188_000, threshold: 1000, labels: { source: "running" }, details: {} });
    expect(summarizeAlert({ ...a, state: "firing" }, plain)).toBe("Statement running for 3 min 8 s (threshold 1 s) fp2");
    expect(summarizeAlert({ ...a, state: "resolved" }, plain)).toBe("Statement ran for at least 3 min 8 s (threshold 1 s) fp2");
  });
});

describe("silencedBy", () => {
  it("names the first active silence whose matchers cover an open alert", () => {
    const expired = silence({ id: 1, expiredAt: new Date(NOW - 1000), expiredBy: "bo" });
    const future = silence({ id: 2, startsAt: new Date(NOW + 60_000) });
    const otherTarget = silence({ id: 4, matchers: { target: "staging" } });
    const glob = silence({ id: 5, matchers: { target: "prod", objectPattern: "public.audit_*" } });
    expect(silenceFor(alert({}), [expired, future, otherTarget, glob], NOW)?.id).toBe(5);
    expect(silenceFor(alert({ objectKey: "public.users" }), [expired, future, otherTarget, glob], NOW)).toBeNull();
    const view = toAlertView(alert({}), opts([glob]));
    expect(view.silencedBy).toEqual({ id: "5", reason: "archiving tonight", endsAt: new Date(NOW + 3_600_000).toISOString(), createdBy: "ana" });
  });

  it("a resolved alert is muted by nothing", () => {
    expect(toAlertView(alert({ state: "resolved", resolvedAt: new Date(NOW) }), opts([silence({})])).silencedBy).toBeNull();
    expect(toAlertView(alert({ state: "pending", firedAt: null }), opts([silence({})])).silencedBy?.id).toBe("3");
  });
});

describe("toAlertView", () => {
  it("fits the contract, with ids as strings, ISO times and the rule's unit", () => {
    const view = toAlertView(alert({ acknowledgedBy: "ana", acknowledgedAt: new Date(NOW), ackComment: "looking" }), opts());
    expect(alertSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({ id: "7", target: "prod", object: "public.audit_log", unit: "bytes", since: new Date(NOW - 600_000).toISOString(), acknowledgedBy: "ana", resolvedAt: null, silencedBy: null });
  });

  it("maps units to the contract's vocabulary", () => {
    expect(["slow_query", "table_size", "index_bloat", "idle_in_transaction", "xid_wraparound", "target_down", "nope"].map(unitOf)).toEqual(["ms", "bytes", "percent", "seconds", "xid", null, null]);
  });
});

describe("events", () => {
  it("notes acknowledgements and silenced transitions", () => {
    expect(eventNote({ acknowledgedBy: "ana", comment: "looking" })).toBe("acknowledged by ana: looking");
    expect(eventNote({ acknowledgedBy: "ana", comment: null })).toBe("acknowledged by ana");
    expect(eventNote({ retired: "rule turned off" })).toBe("closed without recovery: rule turned off");
    expect(eventNote({ retired: "database dropped", silencedBy: 4 })).toBe("closed without recovery: database dropped (silenced by silence 4: no notification sent)");
    expect(eventNote({ silencedBy: 9 })).toBe("silenced by silence 9: no notification sent");
    expect(eventNote({})).toBeNull();
    expect(toEventView({ id: 12, at: new Date(NOW), from: "pending", to: "firing", value: 3, details: {} })).toEqual({ id: "12", at: new Date(NOW).toISOString(), fromState: "pending", toState: "firing", value: 3, note: null });
  });
});
