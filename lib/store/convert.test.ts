import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { MetricDefinition } from "@/lib/metrics/types";
import { tableRow, tableStatsFixture } from "@/test/fixtures/store-results";
import { canonicalLabels, convertResult, toEvent, toNumber } from "./convert";

const TS = new Date("2026-11-20T10:00:00Z");
const dbStatsDef: MetricDefinition = {
  id: "db_stats",
  description: "",
  scope: "database",
  lane: "live",
  intervalMs: 15_000,
  timeoutMs: 5_000,
  sql: { 0: "" },
  row: z.record(z.string(), z.unknown()),
  labels: ["datname"],
  counters: ["xact_commit"],
  gauges: ["numbackends", "stats_reset_epoch"],
};
const lookup = (id: string) => ({ db_stats: dbStatsDef, table_stats: tableStatsFixture })[id];
const okResult = (metric: string, rows: Record<string, unknown>[]) => ({ status: "ok" as const, metric, targetId: "t", ts: TS, durationMs: 1, rows });

describe("convertResult", () => {
  it("maps rows × counter/gauge columns to series named metric.column, labels as strings, nulls skipped", () => {
    const c = convertResult(okResult("db_stats", [{ datname: "app", xact_commit: 10, numbackends: 3, stats_reset_epoch: null }]), lookup);
    expect(c.samples).toEqual([
      { targetId: "t", name: "db_stats.xact_commit", labels: '{"datname":"app"}', kind: "counter", ts: TS.getTime(), value: 10 },
      { targetId: "t", name: "db_stats.numbackends", labels: '{"datname":"app"}', kind: "gauge", ts: TS.getTime(), value: 3 },
    ]);
  });

  it("up: a gauge and the up/down state", () => {
    const c = convertResult(okResult("up", [{ up: 0, error: "connection refused" }]), lookup);
    expect(c.samples.map((s) => [s.name, s.value])).toEqual([["up.up", 0]]);
    expect(c.up).toEqual({ up: false, error: "connection refused", serverVersion: null, role: null });
    // The server last reached rides along (other instances show it); an unknown role is none.
    const up = convertResult(okResult("up", [{ up: 1, error: null, server_version: "17.2", role: "standby" }]), lookup);
    expect(up.up).toEqual({ up: true, error: null, serverVersion: "17.2", role: "standby" });
    expect(convertResult(okResult("up", [{ up: 1, error: null, role: "leader" }]), lookup).up?.role).toBeNull();
  });

  it("row-history metrics: one row per object with the extracted numbers, no per-object series", () => {
    const c = convertResult(okResult("table_stats", [tableRow("public", "users", 1000)]), lookup);
    expect(c.samples).toEqual([]);
    expect(c.historyRows).toHaveLength(1);
    expect(c.historyRows[0]).toMatchObject({ objectKey: "public.users", bytes: 1000, liveTuples: 4980, deadTuples: 40, pct: null });
  });

  it("unavailable, error and unknown metrics store no samples", () => {
    expect(convertResult({ status: "unavailable", metric: "db_stats", targetId: "t", ts: TS, reason: "x" }, lookup).samples).toEqual([]);
    const unknown = convertResult(okResult("nope", [{ a: 1 }]), lookup);
    expect(unknown).toMatchObject({ samples: [], unknownMetric: true });
  });
});

describe("slow query events", () => {
  const base = { fingerprint: "f1", query: "SELECT 1", calls: 1, total_ms: 1 };
  it.each([
    {
      name: "running: one key per (pid, start, fingerprint) across polls",
      rows: [
        { ...base, source: "running", duration_ms: 1500, captured_at: new Date(TS.getTime() + 1500), pid: 7 },
        { ...base, source: "running", duration_ms: 3000, captured_at: new Date(TS.getTime() + 3000), pid: 7 },
      ],
      same: true,
    },
    {
      name: "running: another pid is another event",
      rows: [
        { ...base, source: "running", duration_ms: 1500, captured_at: TS, pid: 7 },
        { ...base, source: "running", duration_ms: 1500, captured_at: TS, pid: 8 },
      ],
      same: false,
    },
    {
      name: "log rows: once per log id",
      rows: [
        { ...base, source: "slow_query_log", id: "a", duration_ms: 2000, captured_at: TS },
        { ...base, source: "slow_query_log", id: "a", duration_ms: 2000, captured_at: TS },
      ],
      same: true,
    },
    {
      name: "pg_stat_statements: one event per window",
      rows: [
        { ...base, source: "pg_stat_statements", queryid: "1", duration_ms: 2000, captured_at: TS },
        { ...base, source: "pg_stat_statements", queryid: "1", duration_ms: 2000, captured_at: new Date(TS.getTime() + 60_000) },
      ],
      same: false,
    },
  ])("$name", ({ rows, same }) => {
    const [a, b] = rows.map((r) => toEvent("t", TS, r)!);
    expect(a.dedupeKey === b.dedupeKey).toBe(same);
  });

  it("rejects rows without a known source, fingerprint or duration", () => {
    expect(toEvent("t", TS, { source: "other", fingerprint: "f", duration_ms: 1 })).toBeNull();
    expect(toEvent("t", TS, { source: "running", duration_ms: 1 })).toBeNull();
    expect(toEvent("t", TS, { source: "running", fingerprint: "f", duration_ms: null })).toBeNull();
  });
});

describe("helpers", () => {
  it("canonicalLabels sorts keys so one label set is one series", () => {
    expect(canonicalLabels({ b: "1", a: "2" })).toBe(canonicalLabels({ a: "2", b: "1" }));
  });
  it.each([
    [5, 5],
    ["12", 12],
    [true, 1],
    [null, null],
    ["", null],
    [Number.NaN, null],
    ["x", null],
  ])("toNumber(%j) = %j", (v, want) => {
    expect(toNumber(v)).toBe(want);
  });
});
