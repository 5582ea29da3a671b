import { describe, expect, it } from "vitest";
import { hasValues, joinSeries, scalePoints } from "./join-series";

const t = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s)).toISOString();
const ms = (s: number) => Date.UTC(2025, 0, 1, 0, 0, s);

describe("joinSeries", () => {
  it("joins by timestamp: a missing bucket is null in that series only", () => {
    const rows = joinSeries({
      commits: [[t(0), 5], [t(15), 6], [t(30), 7]],
      rollbacks: [[t(15), 0], [t(30), 1]],
    });
    expect(rows).toEqual([
      { t: ms(0), commits: 5, rollbacks: null },
      { t: ms(15), commits: 6, rollbacks: 0 },
      { t: ms(30), commits: 7, rollbacks: 1 },
    ]);
  });
  it("keeps null gaps as null and zero as zero", () => {
    const rows = joinSeries({ a: [[t(0), 0], [t(15), null], [t(30), 3]] });
    expect(rows.map((r) => r.a)).toEqual([0, null, 3]);
  });
  it("sorts out-of-order input and ignores bad timestamps; NaN becomes a gap", () => {
    const rows = joinSeries({ a: [[t(30), 1], ["garbage", 9], [t(0), Number.NaN]] });
    expect(rows).toEqual([{ t: ms(0), a: null }, { t: ms(30), a: 1 }]);
  });
  it("undefined series contribute a null column", () => {
    const rows = joinSeries({ a: [[t(0), 1]], b: undefined });
    expect(rows).toEqual([{ t: ms(0), a: 1, b: null }]);
  });
  it("hasValues: all-null is not data; a 0 is", () => {
    expect(hasValues(joinSeries({ a: [[t(0), null]] }), ["a"])).toBe(false);
    expect(hasValues(joinSeries({ a: [[t(0), 0]] }), ["a"])).toBe(true);
    expect(hasValues([], ["a"])).toBe(false);
  });
  it("scalePoints keeps nulls", () => {
    expect(scalePoints([[t(0), 0.5], [t(1), null]], 100)).toEqual([[t(0), 50], [t(1), null]]);
  });
});

import { remainder } from "./join-series";

describe("remainder", () => {
  it("whole minus parts, null when any is unknown, never negative", () => {
    const rows = joinSeries({
      total: [[t(0), 10], [t(15), 8], [t(30), null], [t(45), 3]],
      active: [[t(0), 4], [t(15), null], [t(30), 1], [t(45), 3]],
      iit: [[t(0), 1], [t(15), 1], [t(30), 1], [t(45), 1]],
    });
    expect(remainder(rows, "total", ["active", "iit"], "other").map((r) => r.other)).toEqual([5, null, null, 0]);
  });
});
