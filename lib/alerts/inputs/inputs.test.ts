import { describe, expect, it } from "vitest";
import { configSchema } from "@/lib/config/schema";
import { resolveRule } from "../rules";
import type { Rule } from "../types";
import { createCacheWindows } from "./db-stats";
import { EXTRACTORS } from ".";

const cfg = configSchema.parse({});
const rule = (id: Parameters<typeof resolveRule>[0]) => resolveRule(id, cfg);
const MB = 1024 ** 2;
const ctx = { now: Date.UTC(2026, 0, 1), metric: "test" };

describe("input extraction", () => {
  it("slow queries: one observation per fingerprint, the slowest occurrence over the rule's line", () => {
    const rows = [
      { source: "slow_query_log", fingerprint: "a1", query: "select 1", duration_ms: 1200, calls: 1 },
      { source: "running", fingerprint: "a1", query: "select 1", duration_ms: 3400, calls: null },
      // A top-by-total-time window under the line, of a slow fingerprint and of a fast one.
      { source: "pg_stat_statements", fingerprint: "a1", query: "select 1", duration_ms: 0.2, calls: 5000 },
      { source: "pg_stat_statements", fingerprint: "b2", query: "select 2", duration_ms: 40, calls: 100 },
      { source: "pg_stat_statements", fingerprint: null, query: "?", duration_ms: 9000 },
    ];
    const values = (r: Rule) =>
      EXTRACTORS.slow_query!(rows, r, ctx).map((o) => [o.objectKey, o.value, o.labels.source]);
    expect(values(rule("slow_query"))).toEqual([["a1", 3400, "running"]]);
    // The line is the rule's, overrides included.
    const lower = resolveRule("slow_query", configSchema.parse({ thresholds: { queryTimeMs: 30 } }));
    expect(values(lower)).toEqual([["a1", 3400, "running"], ["b2", 40, "pg_stat_statements"]]);
  });

  it("table sizes: parents and plain tables, never partitions", () => {
    const obs = EXTRACTORS.table_size!(
      [
        { schemaname: "public", relname: "birth_charts", total_bytes: 300, parent: null, is_partitioned: true },
        { schemaname: "public", relname: "birth_charts_2024_01", total_bytes: 100, parent: "birth_charts", is_partitioned: false },
        { schemaname: "public", relname: "users", total_bytes: "42", parent: null, is_partitioned: false },
      ],
      rule("table_size"), ctx,
    );
    expect(obs.map((o) => [o.objectKey, o.value])).toEqual([
      ["public.birth_charts", 300],
      ["public.users", 42],
    ]);
  });

  it("index bloat: small indexes left out, unreliable estimates carry no value", () => {
    const obs = EXTRACTORS.index_bloat!(
      [
        { schemaname: "public", tablename: "t", indexname: "small", index_bytes: 1 * MB, bloat_percent: 80, bloat_source: "exact", reliable: true },
        { schemaname: "public", tablename: "t", indexname: "exact", index_bytes: 20 * MB, bloat_percent: 45, bloat_source: "exact", reliable: false },
        { schemaname: "public", tablename: "t", indexname: "est_ok", index_bytes: 20 * MB, bloat_percent: 35, bloat_source: "estimate", reliable: true },
        { schemaname: "public", tablename: "t", indexname: "est_bad", index_bytes: 20 * MB, bloat_percent: 60, bloat_source: "estimate", reliable: false, unreliable_reason: "dedup" },
      ],
      rule("index_bloat"), ctx,
    );
    expect(obs.map((o) => [o.objectKey, o.value])).toEqual([
      ["public.exact", 45],
      ["public.est_ok", 35],
      ["public.est_bad", null],
    ]);
  });

  it("sessions: idle in transaction and long transactions per pid, hidden sessions ignored", () => {
    const rows = [
      { pid: 10, state: "idle in transaction", state_ms: 400_000, xact_ms: 1_000_000, hidden: false },
      { pid: 11, state: "active", state_ms: 5_000, xact_ms: 5_000, hidden: false },
      { pid: 12, state: "idle in transaction (aborted)", state_ms: 10_000, xact_ms: null, hidden: false },
      { pid: 13, state: "idle in transaction", state_ms: 900_000, xact_ms: 900_000, hidden: true },
      { pid: 14, state: "idle", state_ms: 1, xact_ms: null, hidden: false },
    ];
    expect(EXTRACTORS.idle_in_transaction!(rows, rule("idle_in_transaction"), ctx).map((o) => [o.objectKey, o.value])).toEqual([
      ["pid:10", 400],
      ["pid:12", 10],
    ]);
    expect(EXTRACTORS.long_transaction!(rows, rule("long_transaction"), ctx).map((o) => [o.objectKey, o.value])).toEqual([
      ["pid:10", 1000],
      ["pid:11", 5],
    ]);
  });

  it("blocked sessions: one per target with the longest wait and the count past the threshold", () => {
    const rows = [
      { pid: 1, state: "idle in transaction", state_ms: 500_000, wait_event_type: "Client", blocked_by: [] },
      { pid: 2, state: "active", state_ms: 90_000, wait_event_type: "Lock", blocked_by: [1] },
      { pid: 3, state: "active", state_ms: 120_000, wait_event_type: "Lock", blocked_by: [2] },
      { pid: 4, state: "active", state_ms: 10_000, wait_event_type: "Lock", blocked_by: [1] },
    ];
    const [o] = EXTRACTORS.blocked_sessions!(rows, rule("blocked_sessions"), ctx);
    expect(o).toMatchObject({ objectKey: "locks", value: 120, details: { count: 2, waiting: 3, pids: [2, 3], blockers: [1, 2] } });
    expect(EXTRACTORS.blocked_sessions!([rows[0]], rule("blocked_sessions"), ctx)).toEqual([]);
  });

  it("connections, up and xid age", () => {
    expect(EXTRACTORS.connection_saturation!([{ max_connections: 100, usable: 97, total: 90, saturation: 0.93 }], rule("connection_saturation"), ctx)[0].value).toBeCloseTo(92.78, 2);
    expect(EXTRACTORS.connection_saturation!([{ max_connections: 100, usable: null, total: null, saturation: 0.5 }], rule("connection_saturation"), ctx)[0].value).toBe(50);
    // The driver's text names hosts and roles; the alert keeps our fixed sentence for its kind.
    expect(EXTRACTORS.target_down!([{ up: 0, error: "connect ECONNREFUSED 10.0.0.5:5432" }], rule("target_down"), ctx)[0]).toMatchObject({
      objectKey: "target",
      value: 0,
      details: { error: "connection refused: is the server running and listening on that address and port?" },
    });
    const auth = EXTRACTORS.target_down!([{ up: 0, error: 'password authentication failed for user "pgpulse_monitor"' }], rule("target_down"), ctx)[0];
    expect(JSON.stringify(auth.details)).not.toContain("pgpulse_monitor");
    expect(EXTRACTORS.target_down!([{ up: 1, error: null }], rule("target_down"), ctx)[0].details).toEqual({ error: null });
    expect(EXTRACTORS.xid_wraparound!([{ datname: "kundli_db", xid_age: 1_600_000_000 }], rule("xid_wraparound"), ctx)[0]).toMatchObject({ objectKey: "db:kundli_db", value: 1.6e9 });
  });
});

describe("cache hit ratio window", () => {
  const r = rule("cache_hit_ratio");
  const t0 = Date.UTC(2026, 0, 1);
  const row = (hit: number, read: number, reset: number | null = 1) => ({ datname: "app", blks_hit: hit, blks_read: read, stats_reset_epoch: reset });

  it("computes the ratio from deltas inside the window, not the lifetime", () => {
    const w = createCacheWindows();
    // Lifetime: 1,000,000 hits, 0 reads; then 5 minutes of 80 % hits.
    w.add("t", t0, [row(1_000_000, 0)], 300_000, "db_stats");
    for (let i = 1; i <= 20; i++) w.add("t", t0 + i * 15_000, [row(1_000_000 + i * 800, i * 200)], 300_000, "db_stats");
    const [o] = w.observations("t", t0 + 20 * 15_000, [row(0, 0)], r, "db_stats");
    expect(o.objectKey).toBe("db:app");
    expect(o.value).toBeCloseTo(80, 6);
    expect(o.details).toMatchObject({ accesses: 20_000, windowSeconds: 300 });
  });

  it("is null below the access floor, and skips reset intervals", () => {
    const w = createCacheWindows();
    w.add("t", t0, [row(100, 10)], 300_000, "db_stats");
    w.add("t", t0 + 15_000, [row(400, 20)], 300_000, "db_stats");
    expect(w.observations("t", t0 + 15_000, [row(0, 0)], r, "db_stats")[0].value).toBeNull();
    w.add("t", t0 + 30_000, [row(50, 0, 2)], 300_000, "db_stats"); // reset: counters went down, marker changed
    w.add("t", t0 + 45_000, [row(2050, 0, 2)], 300_000, "db_stats");
    const [o] = w.observations("t", t0 + 45_000, [row(0, 0)], r, "db_stats");
    expect(o.details).toMatchObject({ gaps: 1, accesses: 310 + 2000 });
    expect(o.value).toBeCloseTo((300 + 2000) / 2310 * 100, 6);
  });

  it("keeps only the window plus one anchor sample", () => {
    const w = createCacheWindows();
    for (let i = 0; i <= 100; i++) w.add("t", t0 + i * 15_000, [row(i * 1000, 0)], 300_000, "db_stats");
    const [o] = w.observations("t", t0 + 100 * 15_000, [row(0, 0)], r, "db_stats");
    expect(o.details).toMatchObject({ samples: 21, accesses: 20_000 });
  });
});
