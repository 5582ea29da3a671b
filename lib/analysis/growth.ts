// Table growth and the day it crosses a size threshold, from the row history's sizes. Pure: data and
// `now` come in as arguments.

export interface SizePoint {
  ts: Date;
  bytes: number;
}

export interface GrowthEstimate {
  /** Least-squares slope over the window; null with too few points or too short a span. */
  growthBytesPerDay: number | null;
  /** Days from `now` until the size, growing at that slope from the latest point, reaches the threshold; 0 when already over. */
  daysToThreshold: number | null;
  crossesAt: Date | null;
  alreadyOver: boolean;
}

const DAY_MS = 86_400_000;

export interface GrowthOptions {
  /** A slope over less than this span is noise (default 1 hour). */
  minSpanMs?: number;
}

/**
 * Fits bytes = a + b·t by least squares and projects from the latest observed size. A flat or
 * shrinking table never crosses (null); a table already at or over the threshold is
 * `alreadyOver` with 0 days and no crossing date.
 */
export function tableGrowth(points: SizePoint[], thresholdBytes: number, now: Date, opts: GrowthOptions = {}): GrowthEstimate {
  const minSpanMs = opts.minSpanMs ?? 3_600_000;
  const pts = points.filter((p) => Number.isFinite(p.bytes)).sort((a, b) => a.ts.getTime() - b.ts.getTime());
  const last = pts[pts.length - 1];
  const alreadyOver = last !== undefined && last.bytes >= thresholdBytes;
  const none: GrowthEstimate = { growthBytesPerDay: null, daysToThreshold: alreadyOver ? 0 : null, crossesAt: null, alreadyOver };
  if (pts.length < 2 || last.ts.getTime() - pts[0].ts.getTime() < minSpanMs) return none;

  // Centre time on the first point (in days) to keep the sums well conditioned.
  const t0 = pts[0].ts.getTime();
  const n = pts.length;
  let sx = 0;
  let sy = 0;
  for (const p of pts) {
    sx += (p.ts.getTime() - t0) / DAY_MS;
    sy += p.bytes;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of pts) {
    const dx = (p.ts.getTime() - t0) / DAY_MS - mx;
    sxx += dx * dx;
    sxy += dx * (p.bytes - my);
  }
  if (sxx === 0) return none;
  const slope = sxy / sxx;
  if (alreadyOver) return { growthBytesPerDay: slope, daysToThreshold: 0, crossesAt: null, alreadyOver };
  if (slope <= 0) return { growthBytesPerDay: slope, daysToThreshold: null, crossesAt: null, alreadyOver };
  // From the latest observation, which may be a little older than `now`.
  const crossesAt = new Date(last.ts.getTime() + ((thresholdBytes - last.bytes) / slope) * DAY_MS);
  const days = Math.max(0, (crossesAt.getTime() - now.getTime()) / DAY_MS);
  return { growthBytesPerDay: slope, daysToThreshold: days, crossesAt, alreadyOver };
}
