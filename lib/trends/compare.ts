import type { Change, FingerprintStatus } from "@/lib/api/trends";

// Week-over-week comparisons. Pure; unknown stays null (never 0), so "no data last week" is
// never reported as a change from zero.

const DAY_MS = 86_400_000;

export function change(current: number | null, previous: number | null): Change {
  const both = current !== null && previous !== null;
  return {
    current,
    previous,
    delta: both ? current - previous : null,
    pct: both && previous !== 0 ? ((current - previous) / Math.abs(previous)) * 100 : null,
  };
}

export interface FingerprintWeek {
  count: number;
  p95Ms: number | null;
}

/** Relative moves smaller than these are "same": a slow statement's p95 wobbles week to week. */
export const P95_TOLERANCE = 0.2;
export const COUNT_TOLERANCE = 0.5;
/** A count change of fewer occurrences than this is never a trend. */
export const COUNT_MIN_DELTA = 3;

/**
 * new / gone by presence; otherwise p95 decides (±20 %), then the number of occurrences (±50 %
 * and at least 3). A fingerprint slower but rarer is "worse": latency hurts more than volume.
 */
export function classifyFingerprint(cur: FingerprintWeek | null, prev: FingerprintWeek | null): FingerprintStatus {
  if (cur && cur.count > 0 && (!prev || prev.count === 0)) return "new";
  if ((!cur || cur.count === 0) && prev && prev.count > 0) return "gone";
  if (!cur || !prev) return "same";
  if (cur.p95Ms !== null && prev.p95Ms !== null && prev.p95Ms > 0) {
    const r = cur.p95Ms / prev.p95Ms;
    if (r > 1 + P95_TOLERANCE) return "worse";
    if (r < 1 - P95_TOLERANCE) return "better";
  }
  const d = cur.count - prev.count;
  if (Math.abs(d) >= COUNT_MIN_DELTA) {
    if (cur.count > prev.count * (1 + COUNT_TOLERANCE)) return "worse";
    if (cur.count < prev.count * (1 - COUNT_TOLERANCE)) return "better";
  }
  return "same";
}

/** How far a projected crossing moved, in days (negative: closer). Null unless both exist. */
export function projectionChangeDays(current: Date | null, previous: Date | null): number | null {
  if (!current || !previous) return null;
  return (current.getTime() - previous.getTime()) / DAY_MS;
}
