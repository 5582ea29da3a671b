import { describe, expect, it } from "vitest";
import type { TargetSnapshot } from "@/lib/collector/types";
import { tableRow } from "./rows";
import { alertCountsFor, firingByRule, largestTable, lastValue, toOverviewTarget, type OverviewInput } from "./overview";

const T = new Date("2026-03-01T10:00:00Z");
const target = { id: "a", name: "A", url: "postgres://m@db1:5433/app", tags: { env: "prod" } };
const nobody = { heldBy: null, lease: undefined };
const recorded = { live: true, last_sample_at: new Date(T.getTime() - 5_000), error: null, server_version: "17.2", role: "primary" as const };
const noSeries = { connections: [], tps: [], longestQuery: [] };
const row = (over: Partial<OverviewInput>) =>
  toOverviewTarget({ target, snapshot: undefined, stored: nobody, alerts: [], tables: null, series: noSeries, cacheHitRatioWindow: [], storedUsable: null, ...over }, 60, T);

describe("overview row", () => {
  it("counts firing alerts by severity for its own target only, pending apart", () => {
    const alerts = [
      { targetId: "a", state: "firing", severity: "critical" as const },
      { targetId: "a", state: "firing", severity: "warning" as const },
      { targetId: "a", state: "pending", severity: "critical" as const },
      { targetId: "b", state: "firing", severity: "critical" as const },
    ];
    expect(alertCountsFor("a", alerts)).toEqual({ critical: 1, warning: 1, info: 0, pending: 1 });
  });

  it("largest table: top-level only (partitions are inside their parent)", () => {
    const rows = [
      tableRow.parse({ schemaname: "public", relname: "bc", is_partitioned: true, total_bytes: 900 }),
      tableRow.parse({ schemaname: "public", relname: "bc_1", parent: "public.bc", total_bytes: 800 }),
      tableRow.parse({ schemaname: "public", relname: "users", total_bytes: 500 }),
      tableRow.parse({ schemaname: "public", relname: "locked", total_bytes: null }),
    ];
    expect(largestTable(rows)).toEqual({ schema: "public", table: "bc", totalBytes: 900 });
    expect(largestTable(null)).toBeNull();
  });

  it("latest non-null point, and a target never polled says unknown rather than down", () => {
    expect(lastValue([["2026-03-01T09:58:00Z", 3], ["2026-03-01T09:59:00Z", null]])).toBe(3);
    expect(lastValue([])).toBeNull();
    const unknown = row({});
    expect(unknown).toMatchObject({ up: null, status: "unknown", sessions: null, tps: null, cacheHitRatio: null, largestTable: null, longestQuerySeconds: null });
    expect(unknown.connections).toEqual({ used: null, usable: null });
    expect(unknown).toMatchObject({ host: "db1", port: 5433, database: "app", tags: { env: "prod" }, source: "store" });
  });

  it("a down target says since when and why; sessions come from the snapshot", () => {
    const snap: TargetSnapshot = {
      targetId: "a", up: false, downSince: T, lastError: "connection refused", lastSampleAt: new Date(T.getTime() - 60_000), capabilities: null,
      metrics: {
        stat_activity: { status: "ok", metric: "stat_activity", targetId: "a", ts: T, durationMs: 1, rows: [{ pid: 1, state: "active", blocked_by: [], hidden: false }, { pid: 2, state: "idle", blocked_by: [], hidden: false }] },
        connections: { status: "ok", metric: "connections", targetId: "a", ts: T, durationMs: 1, rows: [{ max_connections: 100, total: 4, usable: 97 }] },
      },
    };
    const r = row({
      snapshot: snap,
      series: { tps: [["2026-03-01T09:59:00.000Z", 12.5]], connections: [["2026-03-01T09:58:00.000Z", 7], ["2026-03-01T09:59:00.000Z", null]], longestQuery: [] },
      cacheHitRatioWindow: [["2026-03-01T09:55:00.000Z", 99.2]],
      alerts: [{ targetId: "a", state: "firing", severity: "critical" }],
    });
    expect(r).toMatchObject({ up: false, status: "down", source: "memory", downSince: T.toISOString(), lastError: "connection refused", sessions: { total: 2, active: 1, max: 100 }, tps: 12.5, cacheHitRatio: 99.2 });
    // Sessions counted in the snapshot; usable slots from its connections row.
    expect(r.connections).toEqual({ used: 2, usable: 97 });
    expect(r.sparkline).toEqual({ from: "2026-03-01T09:58:00.000Z", stepSeconds: 60, values: [7, null] });
  });

  it("a target another instance polls reads its state from the store, not as down", () => {
    const since = new Date(T.getTime() - 300_000);
    const heldBy = { id: "i2", name: "pgpulse-2" };
    const fine = row({ stored: { heldBy, lease: { ...recorded, up: true, down_since: since } }, storedUsable: 97, series: { ...noSeries, connections: [["2026-03-01T09:59:00.000Z", 4]] } });
    expect(fine).toMatchObject({ up: true, status: "ok", source: "store", heldBy: { name: "pgpulse-2" }, downSince: null, lastSampleAt: "2026-03-01T09:59:55.000Z" });
    expect(fine).toMatchObject({ serverVersion: "17.2", role: "primary" });
    expect(fine.connections).toEqual({ used: 4, usable: 97 });
    const down = row({ stored: { heldBy, lease: { ...recorded, up: false, down_since: since, error: "connection refused" } } });
    expect(down).toMatchObject({ up: false, status: "down", downSince: since.toISOString(), lastError: "connection refused", serverVersion: "17.2" });
    // Its holder's lease ran out: the stored state is no longer current.
    const orphan = row({ stored: { heldBy: null, lease: { ...recorded, live: false, up: false, down_since: since, error: "x" } } });
    expect(orphan).toMatchObject({ up: null, status: "unknown", lastError: null, role: null });
  });

  it("firing alerts by rule: the worst severity of each, worst rules first, an id only for a lone alert", () => {
    const alerts = [
      { id: 1, rule: "idle_in_transaction", targetId: "a", state: "firing", severity: "warning" as const },
      { id: 2, rule: "idle_in_transaction", targetId: "a", state: "firing", severity: "critical" as const },
      { id: 3, rule: "cache_hit_ratio", targetId: "a", state: "firing", severity: "warning" as const },
      { id: 4, rule: "table_size", targetId: "a", state: "pending", severity: "critical" as const },
      { id: 5, rule: "target_down", targetId: "b", state: "firing", severity: "critical" as const },
    ];
    expect(firingByRule("a", alerts)).toEqual([
      { rule: "idle_in_transaction", severity: "critical", count: 2, alertId: null },
      { rule: "cache_hit_ratio", severity: "warning", count: 1, alertId: "3" },
    ]);
  });
});
