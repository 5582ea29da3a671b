import { describe, expect, it } from "vitest";
import { change, classifyFingerprint, projectionChangeDays } from "./compare";
import { coverageOf, extremeHour, fold, pairByWeekday } from "./daily";
import { weekBounds } from "./iso-week";

describe("change", () => {
  it.each([
    [10, 8, { current: 10, previous: 8, delta: 2, pct: 25 }],
    [6, 8, { current: 6, previous: 8, delta: -2, pct: -25 }],
    [5, 0, { current: 5, previous: 0, delta: 5, pct: null }],
    [5, null, { current: 5, previous: null, delta: null, pct: null }],
    [null, 3, { current: null, previous: 3, delta: null, pct: null }],
    [-2, -4, { current: -2, previous: -4, delta: 2, pct: 50 }],
  ])("%s vs %s", (c, p, want) => expect(change(c, p)).toEqual(want));
});

describe("fingerprint status", () => {
  it.each([
    [{ count: 3, p95Ms: 1200 }, null, "new"],
    [null, { count: 3, p95Ms: 1200 }, "gone"],
    [{ count: 3, p95Ms: 1500 }, { count: 3, p95Ms: 1200 }, "worse"],
    [{ count: 3, p95Ms: 1400 }, { count: 3, p95Ms: 1200 }, "same"],
    [{ count: 3, p95Ms: 900 }, { count: 3, p95Ms: 1200 }, "better"],
    [{ count: 20, p95Ms: 1200 }, { count: 10, p95Ms: 1200 }, "worse"],
    [{ count: 4, p95Ms: 1200 }, { count: 2, p95Ms: 1200 }, "same"],
    [{ count: 2, p95Ms: 1200 }, { count: 10, p95Ms: 1200 }, "better"],
    [{ count: 0, p95Ms: null }, { count: 0, p95Ms: null }, "same"],
  ] as const)("%o vs %o → %s", (c, p, want) => expect(classifyFingerprint(c, p)).toBe(want));
});

describe("projections", () => {
  it("measures how far the crossing moved, in days", () => {
    expect(projectionChangeDays(new Date("2027-01-10T00:00:00Z"), new Date("2027-01-20T12:00:00Z"))).toBe(-10.5);
    expect(projectionChangeDays(null, new Date())).toBeNull();
  });
});

describe("days of a week", () => {
  const w = weekBounds({ year: 2026, week: 48 }, "UTC");
  const p = weekBounds({ year: 2026, week: 47 }, "UTC");
  const h = new Map<number, number | null>([
    [Date.parse("2026-11-23T00:00:00Z"), 10],
    [Date.parse("2026-11-23T01:00:00Z"), null],
    [Date.parse("2026-11-23T02:00:00Z"), 30],
    [Date.parse("2026-11-16T05:00:00Z"), 7],
  ]);
  it("folds hours, skipping gaps", () => {
    expect(fold(h, w.days[0].start, w.days[0].end, "mean")).toBe(20);
    expect(fold(h, w.days[1].start, w.days[1].end, "mean")).toBeNull();
    expect(extremeHour(h, w.start, w.end, "min")).toEqual({ ts: Date.parse("2026-11-23T00:00:00Z"), value: 10 });
  });
  it("joins the weeks by weekday, whatever the array order", () => {
    const shuffled = [...p.days].reverse();
    const pairs = pairByWeekday(w.days, shuffled, (d) => fold(h, d.start, d.end, "max"));
    expect(pairs[0]).toEqual({ weekday: 1, date: "2026-11-23", previousDate: "2026-11-16", current: 30, previous: 7 });
    expect(pairs[6]).toEqual({ weekday: 7, date: "2026-11-29", previousDate: "2026-11-22", current: null, previous: null });
  });
  it("counts only begun hours of a running week", () => {
    const c = coverageOf(w.days, (t) => h.get(t) != null, new Date("2026-11-23T03:30:00Z"), () => false);
    expect(c[0]).toEqual({ date: "2026-11-23", weekday: 1, hours: 4, hoursWithData: 2, simulated: false });
    expect(c[1].hours).toBe(0);
  });
});
