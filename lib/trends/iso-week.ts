// ISO 8601 weeks (Monday first; week 1 holds the year's first Thursday) laid over local days of
// an IANA time zone. Pure: the zone rules come from the runtime's Intl data, `now` is an
// argument. Shared by the server and the browser (no server-only).

export interface IsoWeek {
  year: number;
  week: number;
}

export interface CivilDate {
  y: number;
  m: number;
  d: number;
}

export interface DayBounds {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  start: Date;
  end: Date;
}

export interface WeekBounds {
  week: IsoWeek;
  start: Date;
  end: Date;
  days: DayBounds[];
}

const DAY_MS = 86_400_000;
const WEEK_RE = /^(\d{4})-W(\d{2})$/;

const civilMs = (c: CivilDate) => Date.UTC(c.y, c.m - 1, c.d);
const toCivil = (ms: number): CivilDate => {
  const d = new Date(ms);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
};
/** 1 = Monday … 7 = Sunday. */
const isoWeekday = (c: CivilDate) => ((new Date(civilMs(c)).getUTCDay() + 6) % 7) + 1;

export function formatCivil(c: CivilDate): string {
  return `${String(c.y).padStart(4, "0")}-${String(c.m).padStart(2, "0")}-${String(c.d).padStart(2, "0")}`;
}

export function isoWeekOfCivil(c: CivilDate): IsoWeek {
  // The Thursday of the date's week decides the year.
  const thursday = toCivil(civilMs(c) + (4 - isoWeekday(c)) * DAY_MS);
  const jan1 = Date.UTC(thursday.y, 0, 1);
  return { year: thursday.y, week: Math.floor((civilMs(thursday) - jan1) / DAY_MS / 7) + 1 };
}

/** 52 or 53: 28 December always lies in the year's last week. */
export function weeksInIsoYear(year: number): number {
  return isoWeekOfCivil({ y: year, m: 12, d: 28 }).week;
}

export function formatIsoWeek(w: IsoWeek): string {
  return `${String(w.year).padStart(4, "0")}-W${String(w.week).padStart(2, "0")}`;
}

/** "2026-W48" → the week, or null when malformed or when that year has no such week. */
export function parseIsoWeek(s: string): IsoWeek | null {
  const m = WEEK_RE.exec(s.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1970 || year > 9999 || week < 1 || week > weeksInIsoYear(year)) return null;
  return { year, week };
}

/** The Monday of an ISO week, as a local calendar date. */
export function mondayOf(w: IsoWeek): CivilDate {
  // 4 January is always in week 1.
  const jan4: CivilDate = { y: w.year, m: 1, d: 4 };
  return toCivil(civilMs(jan4) - (isoWeekday(jan4) - 1) * DAY_MS + (w.week - 1) * 7 * DAY_MS);
}

export function shiftWeek(w: IsoWeek, n: number): IsoWeek {
  return isoWeekOfCivil(toCivil(civilMs(mondayOf(w)) + n * 7 * DAY_MS));
}

export function compareWeeks(a: IsoWeek, b: IsoWeek): number {
  return a.year - b.year || a.week - b.week;
}

// Time zones ---------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** An IANA zone name the runtime knows ("UTC", "Europe/Berlin"); abbreviations like "CET" are refused too when unknown. */
export function isValidTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock time of an instant, as if it were UTC (ms). */
function wallMs(instant: number, tz: string): number {
  const parts = formatter(tz).formatToParts(new Date(Math.floor(instant / 1000) * 1000));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) + (instant - Math.floor(instant / 1000) * 1000);
}

export function offsetMs(instant: number, tz: string): number {
  return wallMs(instant, tz) - instant;
}

export function civilDateAt(instant: Date, tz: string): CivilDate {
  return toCivil(wallMs(instant.getTime(), tz));
}

/**
 * The first instant of a local calendar day. Where midnight is skipped (a DST jump at 00:00,
 * e.g. America/Santiago) the day starts when the clocks resume; where it repeats, at its first
 * occurrence.
 */
export function startOfLocalDay(c: CivilDate, tz: string): Date {
  const wall = civilMs(c);
  // At most one offset change is assumed within ±12 h of a midnight.
  const candidates = [...new Set([offsetMs(wall - 12 * 3_600_000, tz), offsetMs(wall + 12 * 3_600_000, tz), offsetMs(wall, tz)])];
  const valid = candidates.map((o) => wall - o).filter((u) => offsetMs(u, tz) === wall - u);
  if (valid.length) return new Date(Math.min(...valid));
  // Skipped midnight: the first instant whose wall time is at or after it.
  let lo = Math.min(...candidates.map((o) => wall - o));
  let hi = Math.max(...candidates.map((o) => wall - o));
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2 / 1000) * 1000;
    if (wallMs(mid, tz) >= wall) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

export function weekBounds(w: IsoWeek, tz: string): WeekBounds {
  const monday = civilMs(mondayOf(w));
  const days: DayBounds[] = [];
  for (let i = 0; i < 7; i++) {
    const c = toCivil(monday + i * DAY_MS);
    days.push({ date: formatCivil(c), weekday: i + 1, start: startOfLocalDay(c, tz), end: startOfLocalDay(toCivil(monday + (i + 1) * DAY_MS), tz) });
  }
  return { week: w, start: days[0].start, end: days[6].end, days };
}

export function weekContaining(instant: Date, tz: string): IsoWeek {
  return isoWeekOfCivil(civilDateAt(instant, tz));
}

/** The default of the trends page: the last week that has ended in that zone. */
export function lastCompleteWeek(now: Date, tz: string): IsoWeek {
  return shiftWeek(weekContaining(now, tz), -1);
}

export const WEEKDAY_LABELS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
export const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** "Tuesday 02:00" style local labels for summaries. */
export function localTimeLabel(instant: Date, tz: string): { weekday: string; time: string; date: string } {
  const wall = wallMs(instant.getTime(), tz);
  const c = toCivil(wall);
  const d = new Date(wall);
  return {
    weekday: WEEKDAY_NAMES[isoWeekday(c) - 1],
    time: `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`,
    date: formatCivil(c),
  };
}
