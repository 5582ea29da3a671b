import { beforeAll, describe, expect, it } from "vitest";
import { fingerprintSql, loadSqlParser, redactSql } from "@/lib/analysis/sql-text";
import type { SlowQueryGroup } from "@/lib/store/types";
import { activityRow, slowRow } from "./rows";
import { runningOverThreshold, toSlowGroups } from "./slow-queries";
import { slowSourcesUnavailable } from "./slow-sources";

const T = new Date("2026-03-01T10:00:00Z");

function group(fingerprint: string, over: Partial<SlowQueryGroup> = {}): SlowQueryGroup {
  return {
    fingerprint, count: 2, calls: null, meanMs: 1500, p95Ms: 1900, maxMs: 2000, totalMs: 3000,
    firstSeen: new Date("2026-03-01T09:00:00Z"), lastSeen: T, sources: ["slow_query_log"],
    exampleQuery: "SELECT * FROM users WHERE email = 'p@x.org'", buckets: [["2026-03-01T09:00:00.000Z", 1], ["2026-03-01T09:30:00.000Z", 1]], ...over,
  };
}

describe("toSlowGroups", () => {
  beforeAll(() => loadSqlParser());

  it("counts observations and, apart, executions; shares total time; redacts examples for viewers", () => {
    const g = toSlowGroups(
      [group("a"), group("b", { count: 3, calls: 12, totalMs: 9000, sources: ["pg_stat_statements", "running", "bogus"], exampleQuery: "SELECT pg_sleep($1)" })],
      redactSql,
    );
    // Log rows only: observations, no execution count (null, not 0 and not the row count).
    expect(g[0]).toMatchObject({ count: 2, calls: null, totalShare: 0.25, meanMs: 1500, p95Ms: 1900, maxMs: 2000, firstSeen: "2026-03-01T09:00:00.000Z" });
    expect(g[0].example).not.toContain("p@x.org");
    // Three observations, twelve executions by pg_stat_statements' windows: two figures, not one.
    expect(g[1]).toMatchObject({ count: 3, calls: 12, totalShare: 0.75, sources: ["pg_stat_statements", "running"] });
    expect(g[1].occurrences).toEqual([["2026-03-01T09:00:00.000Z", 1], ["2026-03-01T09:30:00.000Z", 1]]);
  });

  it("a literal and its normalized form share a fingerprint (running vs pg_stat_statements)", () => {
    expect(fingerprintSql("SELECT pg_sleep(1.2)")).toBe(fingerprintSql("SELECT pg_sleep($1)"));
  });
});

describe("runningOverThreshold", () => {
  beforeAll(() => loadSqlParser());
  const act = (pid: number, over: Record<string, unknown>) =>
    activityRow.parse({ pid, usename: "app", application_name: "api", state: "active", query: "SELECT pg_sleep(5)", query_ms: 2500, blocked_by: [], hidden: false, ...over });

  it("takes active sessions over the threshold from the fresher activity sample, longest first", () => {
    const rows = [act(1, {}), act(2, { query_ms: 900 }), act(3, { state: "idle", query_ms: null }), act(4, { query_ms: 7000, query: "SELECT * FROM users WHERE id = 42" })];
    const r = runningOverThreshold({ ts: T, rows }, null, 1000, fingerprintSql, redactSql);
    expect(r.map((x) => x.pid)).toEqual([4, 1]);
    expect(r[0]).toMatchObject({ durationMs: 7000, user: "app", application: "api", fingerprint: fingerprintSql("SELECT * FROM users WHERE id = 1") });
    expect(r[0].query).not.toContain("42");
  });

  it("falls back to the slow_queries sample's running rows when it is newer", () => {
    const slow = [slowRow.parse({ source: "running", fingerprint: "abc", query: "SELECT 1", duration_ms: 1800, pid: 9, username: "u" }), slowRow.parse({ source: "pg_stat_statements", fingerprint: "d", query: "x", duration_ms: 5, pid: null, username: null })];
    const r = runningOverThreshold({ ts: new Date(T.getTime() - 5000), rows: [] }, { ts: T, rows: slow }, 1000, fingerprintSql, (s) => s);
    expect(r).toEqual([{ pid: 9, fingerprint: "abc", user: "u", application: null, durationMs: 1800, query: "SELECT 1" }]);
  });
});

describe("slowSourcesUnavailable", () => {
  it("names each missing source, and nothing before the first probe", () => {
    expect(slowSourcesUnavailable(null)).toEqual({});
    expect(Object.keys(slowSourcesUnavailable({ extensions: {}, objects: { slow_query_log: true } }))).toEqual(["pg_stat_statements"]);
    expect(slowSourcesUnavailable({ extensions: { pg_stat_statements: { version: "1.11", schema: "public" } }, objects: { slow_query_log: true } })).toEqual({});
  });
});
