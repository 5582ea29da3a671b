import { describe, expect, it } from "vitest";
import type { TargetSnapshot } from "@/lib/collector/types";
import { tableRow } from "./rows";
import { alertCountsFor, largestTable, lastValue, toOverviewTarget } from "./overview";

const T = new Date("2026-03-01T10:00:00Z");

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
    const empty = { tps: [], connections: [], cacheHitRatio: [] };
    const unknown = toOverviewTarget({ id: "a", name: "A", snapshot: undefined, alerts: [], tables: null, sparklines: empty, cacheHitRatioWindow: [] });
    expect(unknown).toMatchObject({ up: null, sessions: null, tps: null, cacheHitRatio: null, largestTable: null });
  });

  it("a down target says since when and why; sessions come from the snapshot", () => {
    const snap: TargetSnapshot = {
      targetId: "a", up: false, downSince: T, lastError: "connection refused", lastSampleAt: new Date(T.getTime() - 60_000), capabilities: null,
      metrics: {
        stat_activity: { status: "ok", metric: "stat_activity", targetId: "a", ts: T, durationMs: 1, rows: [{ pid: 1, state: "active", blocked_by: [], hidden: false }, { pid: 2, state: "idle", blocked_by: [], hidden: false }] },
        connections: { status: "ok", metric: "connections", targetId: "a", ts: T, durationMs: 1, rows: [{ max_connections: 100, total: 4, usable: 97 }] },
      },
    };
    const r = toOverviewTarget({
      id: "a", name: "A", snapshot: snap, alerts: [], tables: null,
      sparklines: { tps: [["2026-03-01T09:59:00.000Z", 12.5]], connections: [], cacheHitRatio: [["2026-03-01T09:59:00.000Z", null]] },
      cacheHitRatioWindow: [["2026-03-01T09:55:00.000Z", 99.2]],
    });
    expect(r).toMatchObject({ up: false, downSince: T.toISOString(), lastError: "connection refused", sessions: { total: 2, active: 1, max: 100 }, tps: 12.5, cacheHitRatio: 99.2 });
  });
});
