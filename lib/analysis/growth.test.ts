import { describe, expect, it } from "vitest";
import { tableGrowth } from "./growth";

const GB = 2 ** 30;
const DAY = 86_400_000;
const NOW = new Date("2026-11-26T12:00:00Z");
const day = (d: number) => new Date(NOW.getTime() + d * DAY);
const series = (pairs: Array<[number, number]>) => pairs.map(([d, gb]) => ({ ts: day(d), bytes: gb * GB }));

describe("tableGrowth", () => {
  it.each([
    {
      name: "growing 1 GB/day from 6 GB: 4 days to 10 GB",
      points: series([[-3, 3], [-2, 4], [-1, 5], [0, 6]]),
      want: { growthBytesPerDay: GB, daysToThreshold: 4, crossesAt: day(4), alreadyOver: false },
    },
    {
      name: "flat: never crosses",
      points: series([[-3, 2], [-2, 2], [-1, 2], [0, 2]]),
      want: { growthBytesPerDay: 0, daysToThreshold: null, crossesAt: null, alreadyOver: false },
    },
    {
      name: "shrinking: never crosses",
      points: series([[-2, 6], [-1, 5], [0, 4]]),
      want: { growthBytesPerDay: -GB, daysToThreshold: null, crossesAt: null, alreadyOver: false },
    },
    {
      name: "already over: 0 days, no crossing date",
      points: series([[-1, 10], [0, 12]]),
      want: { growthBytesPerDay: 2 * GB, daysToThreshold: 0, crossesAt: null, alreadyOver: true },
    },
    {
      name: "one point: no slope",
      points: series([[0, 5]]),
      want: { growthBytesPerDay: null, daysToThreshold: null, crossesAt: null, alreadyOver: false },
    },
    {
      name: "one point over the threshold: over, no slope",
      points: series([[0, 11]]),
      want: { growthBytesPerDay: null, daysToThreshold: 0, crossesAt: null, alreadyOver: true },
    },
    {
      name: "no points",
      points: [],
      want: { growthBytesPerDay: null, daysToThreshold: null, crossesAt: null, alreadyOver: false },
    },
    {
      name: "two points 10 minutes apart: too short a span",
      points: [
        { ts: new Date(NOW.getTime() - 600_000), bytes: 5 * GB },
        { ts: NOW, bytes: 6 * GB },
      ],
      want: { growthBytesPerDay: null, daysToThreshold: null, crossesAt: null, alreadyOver: false },
    },
  ])("$name", ({ points, want }) => {
    expect(tableGrowth(points, 10 * GB, NOW)).toEqual(want);
  });

  it("fits noisy points by least squares and projects from the latest one observed before now", () => {
    // slope of (0,1) (1,3) (2,2) (3,4) in GB/day is 0.8; latest 4 GB observed at now−1 day
    const points = series([[-4, 1], [-3, 3], [-2, 2], [-1, 4]]);
    const g = tableGrowth(points, 10 * GB, NOW);
    expect(g.growthBytesPerDay! / GB).toBeCloseTo(0.8, 12);
    // 6 GB at 0.8 GB/day = 7.5 days after the latest point, 6.5 days from now
    expect(g.daysToThreshold).toBeCloseTo(6.5, 9);
    expect(g.crossesAt!.getTime()).toBeCloseTo(day(6.5).getTime(), -1);
  });

  it("ignores the input order", () => {
    const points = series([[0, 6], [-2, 4], [-1, 5], [-3, 3]]);
    expect(tableGrowth(points, 10 * GB, NOW).daysToThreshold).toBe(4);
  });
});
