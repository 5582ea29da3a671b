import { describe, expect, it } from "vitest";
import {
  isValidTimeZone,
  isoWeekOfCivil,
  lastCompleteWeek,
  localTimeLabel,
  mondayOf,
  parseIsoWeek,
  shiftWeek,
  startOfLocalDay,
  weekBounds,
  weeksInIsoYear,
} from "./iso-week";

const HOUR = 3_600_000;
const span = (a: Date, b: Date) => (b.getTime() - a.getTime()) / HOUR;

describe("ISO weeks", () => {
  it.each([
    [2015, 53],
    [2020, 53],
    [2024, 52],
    [2025, 52],
    [2026, 53],
    [2027, 52],
    [2032, 53],
  ])("%i has %i weeks", (year, n) => expect(weeksInIsoYear(year)).toBe(n));

  it("parses valid weeks and refuses the rest", () => {
    expect(parseIsoWeek("2026-W48")).toEqual({ year: 2026, week: 48 });
    expect(parseIsoWeek("2026-W53")).toEqual({ year: 2026, week: 53 });
    for (const bad of ["2027-W53", "2026-W00", "2026-W54", "2026W48", "2026-W4", "26-W01", "2026-w48", ""]) expect(parseIsoWeek(bad)).toBeNull();
  });

  it.each([
    [{ y: 2024, m: 12, d: 30 }, { year: 2025, week: 1 }],
    [{ y: 2027, m: 1, d: 3 }, { year: 2026, week: 53 }],
    [{ y: 2027, m: 1, d: 4 }, { year: 2027, week: 1 }],
    [{ y: 2021, m: 1, d: 3 }, { year: 2020, week: 53 }],
    [{ y: 2026, m: 11, d: 23 }, { year: 2026, week: 48 }],
  ])("%o is in week %o", (c, w) => expect(isoWeekOfCivil(c)).toEqual(w));

  it("finds Mondays across year ends and shifts weeks across them", () => {
    expect(mondayOf({ year: 2026, week: 53 })).toEqual({ y: 2026, m: 12, d: 28 });
    expect(mondayOf({ year: 2025, week: 1 })).toEqual({ y: 2024, m: 12, d: 30 });
    expect(shiftWeek({ year: 2026, week: 53 }, 1)).toEqual({ year: 2027, week: 1 });
    expect(shiftWeek({ year: 2027, week: 1 }, -1)).toEqual({ year: 2026, week: 53 });
    expect(shiftWeek({ year: 2026, week: 1 }, -1)).toEqual({ year: 2025, week: 52 });
  });
});

describe("week bounds in a time zone", () => {
  it("UTC: seven 24-hour days from Monday 00:00", () => {
    const b = weekBounds({ year: 2026, week: 48 }, "UTC");
    expect(b.start.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(b.end.toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(b.days.map((d) => d.date)).toEqual(["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]);
  });

  it("a year-crossing week (2026-W53) ends on 3 January 2027", () => {
    const b = weekBounds({ year: 2026, week: 53 }, "Europe/Berlin");
    expect(b.start.toISOString()).toBe("2026-12-27T23:00:00.000Z");
    expect(b.end.toISOString()).toBe("2027-01-03T23:00:00.000Z");
    expect(b.days[4].date).toBe("2027-01-01");
  });

  it("spring forward: the Berlin week of 29 March 2026 has 167 hours, its Sunday 23", () => {
    const b = weekBounds({ year: 2026, week: 13 }, "Europe/Berlin");
    expect(b.start.toISOString()).toBe("2026-03-22T23:00:00.000Z");
    expect(b.end.toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(span(b.start, b.end)).toBe(167);
    expect(span(b.days[6].start, b.days[6].end)).toBe(23);
  });

  it("fall back: the Berlin week of 25 October 2026 has 169 hours", () => {
    const b = weekBounds({ year: 2026, week: 43 }, "Europe/Berlin");
    expect(span(b.start, b.end)).toBe(169);
    expect(span(b.days[6].start, b.days[6].end)).toBe(25);
  });

  it("New York changes on a Sunday in the middle of a week's last day", () => {
    const b = weekBounds({ year: 2026, week: 10 }, "America/New_York");
    expect(b.start.toISOString()).toBe("2026-03-02T05:00:00.000Z");
    expect(b.end.toISOString()).toBe("2026-03-09T04:00:00.000Z");
  });

  it("a skipped midnight (America/Santiago, 6 September 2026) starts the day at 01:00", () => {
    const sunday = startOfLocalDay({ y: 2026, m: 9, d: 6 }, "America/Santiago");
    expect(sunday.toISOString()).toBe("2026-09-06T04:00:00.000Z");
    const b = weekBounds({ year: 2026, week: 36 }, "America/Santiago");
    expect(span(b.days[5].start, b.days[5].end)).toBe(24);
    expect(span(b.days[6].start, b.days[6].end)).toBe(23);
  });

  it("half-hour zones (Asia/Kolkata) start days at 18:30 UTC", () => {
    expect(weekBounds({ year: 2026, week: 48 }, "Asia/Kolkata").start.toISOString()).toBe("2026-11-22T18:30:00.000Z");
  });

  it("the default week is the last one that has ended in the zone", () => {
    // Monday 00:30 in Berlin is still Sunday in UTC.
    const now = new Date("2026-11-29T23:30:00Z");
    expect(lastCompleteWeek(now, "Europe/Berlin")).toEqual({ year: 2026, week: 48 });
    expect(lastCompleteWeek(now, "UTC")).toEqual({ year: 2026, week: 47 });
    expect(lastCompleteWeek(new Date("2027-01-05T12:00:00Z"), "UTC")).toEqual({ year: 2026, week: 53 });
  });

  it("validates zone names", () => {
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("'; DROP TABLE x")).toBe(false);
  });

  it("labels local times", () => {
    expect(localTimeLabel(new Date("2026-11-24T01:00:00Z"), "Europe/Berlin")).toEqual({ weekday: "Tuesday", time: "02:00", date: "2026-11-24" });
  });
});
