import { nice, ticks } from "d3-array";
import { timeTicks } from "d3-time";
import type { YBound } from "./chart-parts";

// Scales and ticks of the SVG charts, pure so they are tested without a browser. Which values
// get a tick comes from d3 (round numbers; whole minutes, hours and days in local time, DST
// included); the scales themselves are plain linear maps.

export type Scale = (v: number) => number;

/** Maps [d0, d1] onto [r0, r1]; a domain of zero width maps everything to the middle. */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Scale {
  const span = d1 - d0;
  if (!(span > 0 || span < 0)) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / span;
  return (v) => r0 + (v - d0) * k;
}

/** About `count` round values (1, 2 or 5 × 10ⁿ) inside [lo, hi]. */
export function valueTicks([lo, hi]: readonly [number, number], count: number): number[] {
  return ticks(lo, hi, Math.max(1, count));
}

/** About `count` instants on whole local minutes, hours or days inside [t0, t1] (epoch ms). */
export function timeAxisTicks([t0, t1]: readonly [number, number], count: number): number[] {
  return timeTicks(new Date(t0), new Date(t1), Math.max(1, count)).map((d) => d.getTime());
}

/**
 * The drawn y range. A number stays as given (100 for a percentage: what lies above is clipped),
 * a function gets the data's min or max, "dataMin"/"dataMax" are the data's own, and an "auto"
 * end widens to a round number. `values` include the reference lines, so they always show.
 */
export function yDomainOf(bounds: readonly [YBound, YBound], values: readonly number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) [min, max] = [0, 1];
  const end = (b: YBound, v: number) => (typeof b === "number" ? b : typeof b === "function" ? b(v) : v);
  let lo = end(bounds[0], min);
  let hi = end(bounds[1], max);
  const autoLo = bounds[0] === "auto";
  const autoHi = bounds[1] === "auto";
  if (!autoLo && !autoHi) return [lo, hi];
  // A flat series (all zero, or all 5 with a fixed 5 floor) still gets an axis with a span.
  if (hi <= lo) {
    if (autoHi) hi = lo + (Math.abs(lo) || 1);
    else lo = hi - (Math.abs(hi) || 1);
  }
  const [nlo, nhi] = nice(lo, hi, 5);
  return [autoLo ? nlo : lo, autoHi ? nhi : hi];
}
