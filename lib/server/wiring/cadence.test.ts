import { describe, expect, it } from "vitest";
import { panelState } from "@/components/panels/panel-state";
import { seriesSourceMetric, SERIES_METRICS } from "@/lib/analysis/series";
import { activityResponseSchema } from "@/lib/api/activity";
import { parseEnv } from "@/lib/env";
import { getDefinition } from "@/lib/metrics/catalog";
import { metricCadenceMs, rowHistoryCadenceMs } from "./cadence";
import { toActivity } from "@/lib/server/views/activity";

// Pages judge a sample's age against the cadence the server sends with it. With the interval
// overridden (PGPULSE_INTERVALS), a sample is only stale by the overridden cadence.

const T = new Date("2026-03-01T10:00:00Z");

function liveView(overrides: Record<string, number> | undefined) {
  return activityResponseSchema.parse(
    toActivity({
      targetId: "t",
      statActivity: { status: "ok", metric: "stat_activity", targetId: "t", ts: T, durationMs: 1, rows: [] },
      cadenceMs: metricCadenceMs("stat_activity", overrides),
      connections: undefined,
      unavailable: null,
      poolSize: null,
      redact: (s) => s,
    }),
  );
}

const sessionsPanel = (body: ReturnType<typeof liveView>, now: number) =>
  panelState({ isPending: false, error: null, hasData: true, takenAt: body.takenAt, cadenceMs: body.cadenceMs, now });

describe("the cadence a page judges staleness by", () => {
  it("follows PGPULSE_INTERVALS: a 30 s old sessions sample is stale at 3 s, fresh at an overridden 60 s", () => {
    const overrides = parseEnv({ PGPULSE_INTERVALS: JSON.stringify({ stat_activity: 60_000 }) }).PGPULSE_INTERVALS;
    const now = T.getTime() + 30_000;

    const byDefault = liveView(undefined);
    expect(byDefault.cadenceMs).toBe(3_000);
    expect(sessionsPanel(byDefault, now)).toBe("stale");

    const overridden = liveView(overrides);
    expect(overridden.cadenceMs).toBe(60_000);
    expect(sessionsPanel(overridden, now)).toBe("ready");
    // Past twice the overridden cadence it is stale again.
    expect(sessionsPanel(overridden, T.getTime() + 121_000)).toBe("stale");
  });

  it("for size history: one set per run, but no closer than the store keeps them", () => {
    expect(rowHistoryCadenceMs("table_stats", undefined, 600_000)).toBe(600_000);
    expect(rowHistoryCadenceMs("table_stats", { table_stats: 900_000 }, 600_000)).toBe(900_000);
    expect(rowHistoryCadenceMs("table_stats", undefined, 0)).toBe(120_000);
  });

  it.each([
    ["connections_total", "stat_activity"],
    ["longest_query_seconds", "stat_activity"],
    ["tps", "db_stats"],
    ["cache_hit_ratio", "db_stats"],
    ["database_size_bytes", "db_size"],
    ["connection_saturation", "connections"],
    ["slow_queries_per_minute", "slow_queries"],
  ] as const)("the %s chart comes at %s's cadence", (series, metric) => {
    expect(seriesSourceMetric(series)).toBe(metric);
  });

  it("every chart's series has a source in the catalog", () => {
    for (const m of SERIES_METRICS) expect(getDefinition(seriesSourceMetric(m))).toBeDefined();
  });
});
