import { describe, expect, it } from "vitest";
import { bandIndexAt, bands, barRects } from "./bar-layout";
import { linearScale } from "./scales";

describe("bar layout", () => {
  it("splits the axis into equal bands, each group centred with a gap around it", () => {
    const b = bands(4, [0, 400]);
    expect(b.map((g) => g.center)).toEqual([50, 150, 250, 350]);
    expect(b[0]).toEqual({ x: 10, width: 80, center: 50 });
    expect(b[3].x + b[3].width).toBe(390);
    expect(bands(0, [0, 400])).toEqual([]);
  });

  it("finds the band under the pointer, and none outside the axis", () => {
    expect([0, 99.9, 100, 250, 400].map((px) => bandIndexAt(4, [0, 400], px))).toEqual([0, 0, 1, 2, 3]);
    expect(bandIndexAt(4, [0, 400], -1)).toBe(-1);
    expect(bandIndexAt(4, [0, 400], 401)).toBe(-1);
    expect(bandIndexAt(0, [0, 400], 10)).toBe(-1);
  });

  it("draws one bar per present value side by side, from zero to the value", () => {
    const y = linearScale([0, 100], [200, 0]);
    const rows = [{ day: "Mon", current: 50, previous: 25 }];
    const [cur, prev] = barRects(rows, ["current", "previous"], bands(1, [0, 102]), y);
    // A group 81.6 px wide, two bars with 2 px between them.
    expect(cur).toMatchObject({ row: 0, category: "current", series: 0, value: 50, y: 100, height: 100 });
    expect(prev).toMatchObject({ category: "previous", series: 1, value: 25, y: 150, height: 50 });
    expect(cur.width).toBeCloseTo(39.8);
    expect(prev.x).toBeCloseTo(cur.x + cur.width + 2);
  });

  it("draws no bar for a missing value, never a bar of 0; a real 0 keeps its bar", () => {
    const y = linearScale([0, 10], [100, 0]);
    const rows = [
      { day: "Mon", current: null, previous: 4 },
      { day: "Tue", current: 0, previous: undefined },
      { day: "Wed", current: Number.NaN, previous: 3 },
    ];
    const r = barRects(rows, ["current", "previous"], bands(3, [0, 300]), y);
    expect(r.map((b) => [b.row, b.category, b.value])).toEqual([
      [0, "previous", 4],
      [1, "current", 0],
      [2, "previous", 3],
    ]);
    // Its series keeps its place in the group: last week's bar stays on the right when this week's is missing.
    const slot = bands(3, [0, 300])[0];
    expect(r[0].x).toBeGreaterThan(slot.x + slot.width / 2);
  });

  it("draws a negative value downwards from zero", () => {
    const y = linearScale([-10, 10], [200, 0]);
    const [b] = barRects([{ v: -5 }], ["v"], bands(1, [0, 100]), y);
    expect(b).toMatchObject({ y: 100, height: 50 });
  });
});
