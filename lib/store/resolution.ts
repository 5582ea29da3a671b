import type { Resolution } from "./types";

// Which stored resolution answers a range read. Pure, shared by the store and the derived series.
// The source follows the span, and the age so retention never hides data:
//   raw samples    when the span ≤ 6 h and the range starts within raw retention (14 days);
//   minute rollups when the span ≤ 7 days and it starts within 30 days;
//   hour rollups   beyond.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const RESOLUTION_MS: Record<Resolution, number> = { raw: 0, "1m": 60_000, "1h": HOUR };

export function chooseResolution(from: Date, to: Date, now: Date, rawDays = 14, minuteDays = 30): Resolution {
  const span = to.getTime() - from.getTime();
  const age = now.getTime() - from.getTime();
  if (span <= 6 * HOUR && age <= rawDays * DAY) return "raw";
  if (span <= 7 * DAY && age <= minuteDays * DAY) return "1m";
  return "1h";
}
