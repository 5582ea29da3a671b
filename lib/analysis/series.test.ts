import { describe, expect, it } from "vitest";
import type { RangePoint, SeriesRange } from "@/lib/store/types";
import { bucketGauge, bucketHitRatio, bucketRates, counterIntervals, maxPresent, stepBuckets, SERIES_METRIC_UNITS, sumPresent, sumStrict } from "./series";
import { SERIES_METRICS } from "@/lib/api/series-metrics";

const T0 = Date.parse("2026-11-20T10:00:00Z");
const raw = (s: number, value: number): RangePoint => {
  const ts = new Date(T0 + s * 1000);
  return { ts, min: value, max: value, sum: value, count: 1, firstTs: ts, firstValue: value, lastTs: ts, lastValue: value, inc: 0, incMs: 0, resets: 0 };
};
const iso = (s: number) => new Date(T0 + s * 1000);

describe("stepBuckets", () => {
  it.each([
    { name: "aligned start", from: 0, to: 180, step: 60, want: [0, 60, 120] },
    { name: "unaligned start floors to the step", from: 70, to: 180, step: 60, want: [60, 120] },
    { name: "end is exclusive", from: 0, to: 181, step: 60, want: [0, 60, 120, 180] },
    { name: "empty range", from: 60, to: 60, step: 60, want: [] },
  ])("$name", ({ from, to, step, want }) => {
    expect(stepBuckets(iso(from), iso(to), step)).toEqual(want.map((s) => T0 + s * 1000));
  });
});

describe("counter rates per step", () => {
  const buckets = stepBuckets(iso(0), iso(90), 15);
  it.each([
    {
      name: "steady 10/s; the first bucket has no earlier sample",
      points: [raw(0, 0), raw(15, 150), raw(30, 300), raw(45, 450), raw(60, 600), raw(75, 750)],
      want: [null, 10, 10, 10, 10, 10],
    },
    {
      name: "a counter going down is a gap, not a spike",
      points: [raw(0, 0), raw(15, 150), raw(30, 20), raw(45, 170), raw(60, 320), raw(75, 470)],
      want: [null, 10, null, 10, 10, 10],
    },
    {
      name: "a missing sample leaves its bucket null and the next interval spans 30 s",
      points: [raw(0, 0), raw(15, 150), raw(45, 750), raw(60, 900)],
      want: [null, 10, null, 20, 10, null],
    },
    {
      name: "real elapsed time, not the nominal step",
      points: [raw(0, 0), raw(20, 200), raw(30, 400)],
      want: [null, 10, 20, null, null, null],
    },
  ])("$name", ({ points, want }) => {
    expect(bucketRates(counterIntervals(points), buckets, 15)).toEqual(want);
  });

  it("a changed stats_reset marker is a gap even when the counter grew", () => {
    const points = [raw(0, 0), raw(15, 150), raw(30, 500), raw(45, 650)];
    const marker = [raw(0, 1), raw(15, 1), raw(30, 2), raw(45, 2)];
    expect(bucketRates(counterIntervals(points, marker), buckets.slice(0, 4), 15)).toEqual([null, 10, null, 10]);
  });

  it("rollup buckets give the same rate as their raw samples, around a reset", () => {
    // minute 0: 0,150,300,450 ; minute 1: 600, 20 (reset), 170, 320 ; minute 2: 470,...
    const minute = (m: number, first: number, last: number, inc: number, incMs: number, resets: number): RangePoint => ({
      ts: iso(60 * m), min: 0, max: 0, sum: 0, count: 4,
      firstTs: iso(60 * m), firstValue: first, lastTs: iso(60 * m + 45), lastValue: last, inc, incMs, resets,
    });
    const points = [minute(0, 0, 450, 450, 45_000, 0), minute(1, 600, 320, 300, 30_000, 1), minute(2, 470, 920, 450, 45_000, 0)];
    const rates = bucketRates(counterIntervals(points), stepBuckets(iso(0), iso(180), 60), 60);
    expect(rates).toEqual([10, 10, 10]);
  });

  it("a marker change inside a rollup bucket without a decrease cannot be placed: gap", () => {
    const p: RangePoint = { ...raw(0, 0), count: 4, lastTs: iso(45), lastValue: 450, inc: 450, incMs: 45_000 };
    const m: RangePoint = { ...raw(0, 1), min: 1, max: 2, lastValue: 2 };
    expect(bucketRates(counterIntervals([p], [m]), [T0], 60)).toEqual([null]);
    expect(bucketRates(counterIntervals([p]), [T0], 60)).toEqual([10]);
  });
});

describe("sums across series", () => {
  it("sumStrict: null wherever one part is null", () => {
    expect(sumStrict([[1, null, 3], [10, 20, null]], 3)).toEqual([11, null, null]);
    expect(sumStrict([], 2)).toEqual([null, null]);
  });
  it("sumPresent: null only where no part has data", () => {
    expect(sumPresent([[1, null, null], [10, 20, null]], 3)).toEqual([11, 20, null]);
  });
});

describe("cache hit ratio per step", () => {
  const s = (labels: Record<string, string>, points: RangePoint[]): SeriesRange => ({ name: "x", labels, kind: "counter", points });
  const buckets = stepBuckets(iso(0), iso(120), 60);
  it.each([
    {
      name: "99 % from deltas (not the lifetime ratio, which is 50 %)",
      hit: [raw(0, 1_000_000), raw(30, 1_000_990), raw(60, 1_001_980), raw(90, 1_002_970)],
      read: [raw(0, 1_000_000), raw(30, 1_000_010), raw(60, 1_000_020), raw(90, 1_000_030)],
      want: [99, 99],
    },
    {
      name: "null below 1,000 block accesses in the step",
      // first step: one interval, 499 accesses; second: two intervals, 2,000 accesses
      hit: [raw(0, 0), raw(30, 400), raw(60, 1_390), raw(90, 2_380)],
      read: [raw(0, 0), raw(30, 99), raw(60, 109), raw(90, 119)],
      want: [null, 99],
    },
    {
      name: "an interval where one counter reset is left out of both sums",
      // hit resets at 90 s; counting read's 500 there would give 33 %
      hit: [raw(0, 5_000), raw(30, 5_500), raw(60, 6_000), raw(90, 100)],
      read: [raw(0, 5_000), raw(30, 5_500), raw(60, 6_000), raw(90, 6_500)],
      want: [50, 50],
    },
  ])("$name", ({ hit, read, want }) => {
    expect(bucketHitRatio([s({ datname: "a" }, hit)], [s({ datname: "a" }, read)], [], buckets, 60)).toEqual(want);
  });

  it("sums the databases' deltas before dividing", () => {
    const hitA = [raw(0, 0), raw(60, 900)];
    const readA = [raw(0, 0), raw(60, 100)];
    const hitB = [raw(0, 0), raw(60, 3_000)];
    const readB = [raw(0, 0), raw(60, 0)];
    const r = bucketHitRatio(
      [s({ datname: "a" }, hitA), s({ datname: "b" }, hitB)],
      [s({ datname: "b" }, readB), s({ datname: "a" }, readA)],
      [],
      stepBuckets(iso(60), iso(120), 60),
      60,
    );
    expect(r).toEqual([97.5]);
  });
});

describe("gauges per step", () => {
  const buckets = stepBuckets(iso(0), iso(240), 60);
  const points = [raw(0, 2), raw(30, 4), raw(60, 10), raw(200, 1)];
  it.each([
    { agg: "avg" as const, want: [3, 10, null, 1] },
    { agg: "max" as const, want: [4, 10, null, 1] },
  ])("$agg; an empty bucket is null, a zero is 0", ({ agg, want }) => {
    expect(bucketGauge(points, buckets, 60, agg)).toEqual(want);
    expect(bucketGauge([raw(0, 0)], buckets, 60, agg)).toEqual([0, null, null, null]);
  });
});

describe("worst of several standbys", () => {
  it("takes the max where any has data, null where none has (never a sum of lags)", () => {
    expect(maxPresent([[1, null, null, 0], [5, 2, null, null]], 4)).toEqual([5, 2, null, 0]);
  });
});

describe("metric list", () => {
  it("names every metric with a unit", () => {
    expect(SERIES_METRICS).toContain("tps");
    expect(SERIES_METRICS).toHaveLength(20);
    for (const m of SERIES_METRICS) expect(SERIES_METRIC_UNITS[m]).toMatch(/^(per_second|per_minute|percent|count|seconds|bytes|ratio|bytes_per_second)$/);
    expect(SERIES_METRIC_UNITS.cache_hit_ratio).toBe("percent");
  });
});
