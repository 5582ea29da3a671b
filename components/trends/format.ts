import type { Change } from "@/lib/api/trends";
import { formatBytes } from "@/lib/format/bytes";
import { formatDuration, formatSeconds } from "@/lib/format/duration";
import { formatPercent, formatRate, UNKNOWN } from "@/lib/format/number";

// Formatters of the weekly figures and of their changes. A figure that is not known prints as
// UNKNOWN, never as 0; a change too small to mean anything prints as "no change", never as
// "−0.5 bytes (−0 %)"; a change of a percentage is in points, never a percentage of one.

export type Fmt = (v: number) => string;

export const fmtOr = (f: Fmt) => (v: number | null | undefined) => (v === null || v === undefined ? UNKNOWN : f(v));
export const count: Fmt = (v) => Math.round(v).toLocaleString("en-US");
export const pct: Fmt = (v) => formatPercent(v);
export const rate: Fmt = (v) => formatRate(v);
export const bytes: Fmt = (v) => formatBytes(v);
export const ms: Fmt = (v) => formatDuration(v);
export const secs: Fmt = (v) => formatSeconds(v);
export const day = (iso: string | null) =>
  iso ? new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }) : UNKNOWN;

/** How a figure prints, and the smallest change in it worth reporting. */
export interface Measure {
  f: Fmt;
  /** A change smaller than this is "no change": below the figure's meaningful unit. */
  unit: number;
  /** The figure is a percentage: its changes are percentage points. */
  points?: boolean;
}

export const MEASURES = {
  count: { f: count, unit: 1 },
  // One decimal is what formatPercent shows.
  pct: { f: pct, unit: 0.1, points: true },
  rate: { f: rate, unit: 0.01 },
  bytes: { f: bytes, unit: 1 },
  ms: { f: ms, unit: 1 },
  secs: { f: secs, unit: 1 },
} as const satisfies Record<string, Measure>;

export interface ChangeText {
  text: string;
  /** Which way it went; 0 for no change worth reporting, null when unknown. */
  direction: -1 | 0 | 1 | null;
}

const MINUS = "−";

/** "+1.6 points" for a percentage; "no change" below the unit; never a signed zero. */
export function signedChange(delta: number, m: Measure): ChangeText {
  if (Math.abs(delta) < m.unit) return { text: "no change", direction: 0 };
  const sign = delta > 0 ? "+" : MINUS;
  const size = m.points ? `${Math.abs(delta).toFixed(1)} points` : m.f(Math.abs(delta));
  return { text: `${sign}${size}`, direction: delta > 0 ? 1 : -1 };
}

/**
 * A week-on-week change as read beside the figure: "+1.2k (+15 %)", "−3 bytes (−<1 %)",
 * "+1.6 points" (no relative figure: a share of a share misleads), "no change".
 */
export function changeText(c: Change, m: Measure): ChangeText {
  if (c.delta === null) return { text: c.previous === null ? "no data last week" : "no data this week", direction: null };
  const s = signedChange(c.delta, m);
  if (s.direction === 0 || m.points || c.pct === null) return s;
  const sign = c.delta > 0 ? "+" : MINUS;
  const relative = Math.abs(c.pct) < 0.5 ? "<1" : String(Math.round(Math.abs(c.pct)));
  return { text: `${s.text} (${sign}${relative} %)`, direction: s.direction };
}

const DAY_MS = 86_400_000;
const utcDay = (iso: string) => Math.floor(Date.parse(iso) / DAY_MS);

/**
 * Calendar days between two projected dates as `day()` prints them (UTC), so the change always
 * agrees with the dates beside it: two dates a day apart are "later by 1 day", never "0.0".
 */
export function projectionDays(current: string | null, previous: string | null): number | null {
  return current === null || previous === null ? null : utcDay(current) - utcDay(previous);
}

export function projectionText(days: number | null): string {
  if (days === null) return UNKNOWN;
  if (days === 0) return "same day";
  const n = Math.abs(days);
  return `${days < 0 ? "sooner" : "later"} by ${n} day${n === 1 ? "" : "s"}`;
}
