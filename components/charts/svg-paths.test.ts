import { describe, expect, it } from "vitest";
import type { ChartRow } from "./join-series";
import { linearScale } from "./scales";
import { areaPath, linePath, nearestIndex, referenceLabelTops, seriesRuns, stackedRuns, stackTops } from "./svg-paths";

const rows = (values: Record<string, Array<number | null>>): ChartRow[] => {
  const keys = Object.keys(values);
  return values[keys[0]].map((_, i) => ({ t: i * 10, ...Object.fromEntries(keys.map((k) => [k, values[k][i]])) }) as ChartRow);
};
// Identity-like scales keep the expected strings readable: x = t, y = value.
const same = linearScale([0, 100], [0, 100]);

describe("series paths", () => {
  it("breaks the line at a null instead of drawing it through 0", () => {
    const runs = seriesRuns(rows({ a: [1, 2, null, 4, 5] }), "a");
    expect(runs.map((r) => r.map((p) => p.y1))).toEqual([[1, 2], [4, 5]]);
    expect(runs.map((r) => linePath(r, same, same))).toEqual(["M0,1L10,2", "M30,4L40,5"]);
  });

  it("keeps a zero as a value and leaves a lone value between gaps for a dot (no line)", () => {
    const runs = seriesRuns(rows({ a: [0, null, 7, null, null] }), "a");
    expect(runs.map((r) => r.map((p) => [p.t, p.y1]))).toEqual([[[0, 0]], [[20, 7]]]);
    expect(runs.every((r) => linePath(r, same, same) === "")).toBe(true);
  });

  it("stacks bands on the values present below, a gap in one band only", () => {
    const data = rows({ a: [1, 2, 3], b: [10, null, 30] });
    const [a, b] = stackedRuns(data, ["a", "b"]);
    expect(a).toEqual([[{ t: 0, y0: 0, y1: 1 }, { t: 10, y0: 0, y1: 2 }, { t: 20, y0: 0, y1: 3 }]]);
    expect(b).toEqual([[{ t: 0, y0: 1, y1: 11 }], [{ t: 20, y0: 3, y1: 33 }]]);
    expect(stackTops(data, ["a", "b"])).toEqual([11, 2, 33]);
    expect(areaPath(a[0], same, same)).toBe("M0,1L10,2L20,3L20,0L10,0L0,0Z");
  });

  it("finds the row nearest the pointer", () => {
    const data = [{ t: 0 }, { t: 10 }, { t: 30 }];
    expect([-5, 4, 6, 19, 21, 99].map((t) => nearestIndex(data, t))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(nearestIndex([], 5)).toBe(-1);
  });
});

describe("reference labels", () => {
  const H = 13;
  const overlap = (a: number, b: number) => a < b + H && b < a + H;

  it("puts a lone line's label just above it", () => {
    expect(referenceLabelTops([100], 0, H)).toEqual([100 - 2 - H]);
  });

  it("puts two close lines' labels one above, one below, never on each other", () => {
    // max_connections 100 at y=50 and usable 97 at y=54 (y grows downwards).
    const [max, usable] = referenceLabelTops([50, 54], 0, H);
    expect(max + H).toBeLessThanOrEqual(50);
    expect(usable).toBeGreaterThanOrEqual(54);
    expect(overlap(max, usable)).toBe(false);
  });

  it("writes below a line at the very top, and keeps the next label clear of it", () => {
    const tops = referenceLabelTops([3, 6, 200], 0, H);
    expect(tops[0]).toBeGreaterThanOrEqual(3);
    expect(overlap(tops[0], tops[1])).toBe(false);
    expect(tops[2]).toBe(200 - 2 - H);
  });
});
