import { describe, expect, it } from "vitest";
import { changeText, MEASURES, projectionDays, projectionText, signedChange } from "./format";

const change = (current: number | null, previous: number | null) => {
  const delta = current === null || previous === null ? null : current - previous;
  return { current, previous, delta, pct: delta === null || !previous ? null : (delta / Math.abs(previous)) * 100 };
};

describe("changeText", () => {
  const cases: [string, ReturnType<typeof change>, keyof typeof MEASURES, string, -1 | 0 | 1 | null][] = [
    ["half a byte is no change, not −0.5 bytes (−0 %)", change(1_000_000, 1_000_000.5), "bytes", "no change", 0],
    ["a real change too small for a whole percent says <1 %", change(1_000_003, 1_000_000), "bytes", "+3 bytes (+<1 %)", 1],
    ["a count with its relative change", change(115, 100), "count", "+15 (+15 %)", 1],
    ["a fall carries the minus sign, never a hyphen", change(80, 100), "count", "−20 (−20 %)", -1],
    ["the same count is no change, not ±0", change(7, 7), "count", "no change", 0],
    ["a percentage changes in points, not +16 %", change(11.6, 10), "pct", "+1.6 points", 1],
    ["a fall of a percentage in points", change(90.4, 92.1), "pct", "−1.7 points", -1],
    ["below a tenth of a point is no change", change(99.93, 99.9), "pct", "no change", 0],
    ["a rate below a hundredth per second is no change", change(12.004, 12), "rate", "no change", 0],
    ["nothing last week", change(5, null), "count", "no data last week", null],
    ["nothing this week", change(null, 5), "count", "no data this week", null],
    ["from zero: no relative figure", change(3, 0), "count", "+3", 1],
  ];
  it.each(cases)("%s", (_name, c, measure, text, direction) => {
    expect(changeText(c, MEASURES[measure])).toEqual({ text, direction });
  });
});

describe("signedChange", () => {
  it("bloat points: a rise of 0.04 is no change, a fall of 12.5 is −12.5 points", () => {
    expect(signedChange(0.04, MEASURES.pct).text).toBe("no change");
    expect(signedChange(-12.5, MEASURES.pct).text).toBe("−12.5 points");
  });
});

describe("projectionDays / projectionText", () => {
  const cases: [string, string | null, string | null, number | null, string][] = [
    ["an hour apart across midnight is a day later, not 0.0", "2027-04-15T00:30:00Z", "2027-04-14T23:30:00Z", 1, "later by 1 day"],
    ["23 hours apart on the same date is the same day", "2027-04-15T23:00:00Z", "2027-04-15T00:00:00Z", 0, "same day"],
    ["sooner, plural", "2027-04-10T12:00:00Z", "2027-04-15T12:00:00Z", -5, "sooner by 5 days"],
    ["no projection last week", "2027-04-10T12:00:00Z", null, null, "—"],
  ];
  it.each(cases)("%s", (_name, current, previous, days, text) => {
    expect(projectionDays(current, previous)).toBe(days);
    expect(projectionText(projectionDays(current, previous))).toBe(text);
  });
});
