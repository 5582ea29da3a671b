import { describe, expect, it } from "vitest";
import type { TargetTrends } from "@/lib/api/trends";
import { change } from "./compare";
import { summarize } from "./summary";

// Sentences from fixed figures: each present only when its numbers are.

const GIB = 1024 ** 3;
const days = (withData: number) =>
  Array.from({ length: 7 }, (_, i) => ({ date: `2026-11-${String(23 + i).padStart(2, "0")}`, weekday: i + 1, hours: 24, hoursWithData: i === 2 ? withData : 24, simulated: false }));

function base(): Omit<TargetTrends, "summary"> {
  const none = change(null, null);
  return {
    targetId: "t",
    targetName: "T",
    database: "d",
    thresholds: { tableSizeBytes: 10 * GIB, cacheHitRatioPercent: 90, indexBloatPercent: 30, queryTimeMs: 1000 },
    simulated: false,
    previousSimulated: false,
    coverage: { current: days(24), previous: days(24) },
    headline: {
      slowCount: none, slowP95Ms: none, cacheHitMean: none, cacheHitWorst: { current: null, previous: null }, peakConnections: none,
      peakConnectionsAt: null, connectionLimit: null, tpsMean: none, tpsPeak: none, tpsPeakAt: null, dbSizeGrowthBytes: none,
      dbSizeBytes: null, alertsFired: none, mttaSeconds: none, mttrSeconds: none,
    },
    daily: { slowCount: [], cacheHitMean: [], tpsMean: [], peakConnections: [], dbSizeBytes: [] },
    tables: [],
    tablesAvailable: true,
    bloat: [],
    unusedIndexes: [],
    fingerprints: [],
    alerts: [],
  };
}

describe("summary", () => {
  it("says nothing it has no number for", () => {
    expect(summarize(base(), "UTC")).toEqual([]);
  });

  it("names the gaps in coverage and stops when nothing was collected", () => {
    expect(summarize({ ...base(), coverage: { current: days(20), previous: days(24) } }, "UTC")).toEqual(["Data covers 164 of 168 hours; gaps on 2026-11-25."]);
    const empty = base();
    empty.coverage.current = days(0).map((d) => ({ ...d, hoursWithData: 0 }));
    empty.headline.slowCount = change(0, 4);
    expect(summarize(empty, "UTC")).toEqual(["No data was collected this week."]);
  });

  it("reports a cache dip in the page's time zone, or that there was none", () => {
    const t = base();
    t.headline.cacheHitMean = change(98.25, 99);
    t.headline.cacheHitWorst.current = { value: 84.21, from: "2026-11-24T01:00:00.000Z", to: "2026-11-24T02:00:00.000Z" };
    expect(summarize(t, "Europe/Berlin")).toEqual(["Cache hit ratio dipped below 90 % on Tuesday 02:00–03:00 (84.2 %); the week's hourly mean was 98.3 %."]);
    t.headline.cacheHitWorst.current = { value: 97.1, from: "2026-11-24T01:00:00.000Z", to: "2026-11-24T02:00:00.000Z" };
    expect(summarize(t, "UTC")).toEqual(["Cache hit ratio stayed at or above 90 % in every hour with enough block reads (lowest 97.1 %, mean 98.3 %)."]);
  });

  it("compares only when last week is known, and says simulated", () => {
    const t = base();
    t.simulated = true;
    t.headline.slowCount = change(42, 32);
    t.headline.slowP95Ms = change(2400, null);
    t.headline.tpsMean = change(12.34, null);
    expect(summarize(t, "UTC")).toEqual([
      "This week includes simulated demo history, not measurements.",
      "42 slow statements recorded, up 31 % from 32; p95 duration 2.4 s.",
      "Transactions averaged 12.3/s.",
    ]);
  });

  it("tells tables already over and those crossing soon, with the projection's move", () => {
    const t = base();
    t.tables = [
      { objectKey: "public.audit_log", sizeBytes: 11 * GIB, growthBytes: GIB, growthBytesPerDay: GIB / 7, alreadyOver: true, crossesAt: null, previousCrossesAt: null, projectionChangeDays: null },
      { objectKey: "public.birth_charts", sizeBytes: 6 * GIB, growthBytes: 1.5 * GIB, growthBytesPerDay: 0.2 * GIB, alreadyOver: false, crossesAt: "2027-01-10T00:00:00.000Z", previousCrossesAt: "2027-02-01T00:00:00.000Z", projectionChangeDays: -22 },
      { objectKey: "public.users", sizeBytes: GIB, growthBytes: 1, growthBytesPerDay: 1, alreadyOver: false, crossesAt: "2040-01-01T00:00:00.000Z", previousCrossesAt: null, projectionChangeDays: null },
    ];
    expect(summarize(t, "UTC")).toEqual([
      "1 table is already over 10 GB: public.audit_log.",
      "public.birth_charts grew 1.5 GB and is projected to cross 10 GB on 10 Jan 2027, 22 days sooner than last week's projection.",
    ]);
  });
});
