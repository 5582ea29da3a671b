import type { CoverageDay, DayPair } from "@/lib/api/trends";
import type { DayBounds } from "./iso-week";

// Hourly values (the store's hour rollups, as the live charts read them) folded into local
// days, and the two weeks joined by weekday. Hours are UTC-aligned buckets; each belongs to the
// local day its start falls in (in zones with a half-hour offset a day boundary splits an hour:
// that hour counts for the day it starts in). Pure.

export const HOUR_MS = 3_600_000;

/** Hourly values by bucket start (epoch ms); a missing or null hour is a gap. */
export type Hourly = Map<number, number | null>;

export function hourStarts(from: Date, to: Date): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS; t < to.getTime(); t += HOUR_MS) out.push(t);
  return out;
}

export function valuesIn(h: Hourly, from: Date, to: Date): Array<{ ts: number; value: number }> {
  const out: Array<{ ts: number; value: number }> = [];
  for (const t of hourStarts(from, to)) {
    const v = h.get(t);
    if (v !== null && v !== undefined && Number.isFinite(v)) out.push({ ts: t, value: v });
  }
  return out;
}

export type Fold = "mean" | "max" | "min" | "last" | "first";

/** One number for [from, to) from its hours; null when no hour has a value. */
export function fold(h: Hourly, from: Date, to: Date, how: Fold): number | null {
  const v = valuesIn(h, from, to);
  if (v.length === 0) return null;
  switch (how) {
    case "mean":
      return v.reduce((s, x) => s + x.value, 0) / v.length;
    case "max":
      return Math.max(...v.map((x) => x.value));
    case "min":
      return Math.min(...v.map((x) => x.value));
    case "first":
      return v[0].value;
    case "last":
      return v[v.length - 1].value;
  }
}

/** The hour holding the lowest / highest value of [from, to), first one on ties. */
export function extremeHour(h: Hourly, from: Date, to: Date, which: "min" | "max"): { ts: number; value: number } | null {
  let best: { ts: number; value: number } | null = null;
  for (const x of valuesIn(h, from, to)) {
    if (!best || (which === "min" ? x.value < best.value : x.value > best.value)) best = x;
  }
  return best;
}

/** Days of the week with how many of their (begun) hours have any data. */
export function coverageOf(days: DayBounds[], hasData: (hourTs: number) => boolean, now: Date, simulated: (d: DayBounds) => boolean): CoverageDay[] {
  return days.map((d) => {
    const hours = hourStarts(d.start, new Date(Math.min(d.end.getTime(), now.getTime())));
    return { date: d.date, weekday: d.weekday, hours: hours.length, hoursWithData: hours.filter(hasData).length, simulated: simulated(d) };
  });
}

/** Both weeks' values per weekday: a day missing from one week stays null on that side. */
export function pairByWeekday(
  current: DayBounds[],
  previous: DayBounds[],
  value: (d: DayBounds) => number | null,
): DayPair[] {
  const prevByWeekday = new Map(previous.map((d) => [d.weekday, d]));
  return current.map((d) => {
    const p = prevByWeekday.get(d.weekday);
    return { weekday: d.weekday, date: d.date, previousDate: p?.date ?? "", current: value(d), previous: p ? value(p) : null };
  });
}
