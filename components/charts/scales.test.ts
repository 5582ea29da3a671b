import { describe, expect, it } from "vitest";
import { linearScale, timeAxisTicks, valueTicks, yDomainOf } from "./scales";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("scales", () => {
  it("maps linearly, and a flat domain to the middle", () => {
    const y = linearScale([0, 100], [200, 0]);
    expect([0, 50, 100].map(y)).toEqual([200, 100, 0]);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(5);
  });

  it("puts value ticks on round numbers", () => {
    expect(valueTicks([0, 1000], 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(valueTicks([87, 100], 4)).toEqual([90, 95, 100]);
  });

  it("puts time ticks on whole local minutes, hours or days for 15 min … 7 d", () => {
    const start = new Date(2026, 2, 2, 10, 3, 17).getTime();
    const cases: Array<[number, number, (d: Date) => boolean]> = [
      [15 * MIN, 5, (d) => d.getSeconds() === 0 && d.getMinutes() % 5 === 0],
      [HOUR, 6, (d) => d.getSeconds() === 0 && d.getMinutes() % 15 === 0],
      [24 * HOUR, 8, (d) => d.getMinutes() === 0 && d.getHours() % 3 === 0],
      [7 * 24 * HOUR, 8, (d) => d.getMinutes() === 0 && d.getHours() === 0],
    ];
    for (const [range, count, whole] of cases) {
      const ticks = timeAxisTicks([start, start + range], count);
      expect(ticks.length, `${range / MIN} min`).toBeGreaterThanOrEqual(3);
      expect(ticks.length, `${range / MIN} min`).toBeLessThanOrEqual(count * 2);
      expect(ticks.every((t) => t >= start && t <= start + range && whole(new Date(t)))).toBe(true);
    }
  });

  it("y domain: fixed ends stay, automatic ones widen to round numbers, functions get the data", () => {
    expect(yDomainOf([0, "auto"], [3, 97, 100])).toEqual([0, 100]);
    expect(yDomainOf([0, "auto"], [3, 103])).toEqual([0, 120]);
    // A fixed top stays the top even when a value lies above it (it is clipped).
    expect(yDomainOf([(min) => Math.floor(min) - 2, 100], [93.4, 101])).toEqual([91, 100]);
    expect(yDomainOf(["dataMin", "dataMax"], [4, 9])).toEqual([4, 9]);
    // Nothing but zeros still gets an axis.
    expect(yDomainOf([0, "auto"], [0, 0])).toEqual([0, 1]);
    expect(yDomainOf([0, "auto"], [])).toEqual([0, 1]);
  });
});
