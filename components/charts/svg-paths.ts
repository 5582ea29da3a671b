import type { ChartRow } from "./join-series";
import type { Scale } from "./scales";

// The shapes of the SVG charts as path strings, pure so they are tested without a browser. A
// missing value (null) ends a run: the line breaks there and is never drawn through 0. A run of
// one value (a value with gaps on both sides) has no line to draw, so the chart shows it as a dot.

/** A drawn point: time, the bottom of its band (0 for a line) and its top. */
export interface Pt {
  t: number;
  y0: number;
  y1: number;
}

const present = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/** Consecutive present values of one series. */
export function seriesRuns(data: readonly ChartRow[], key: string): Pt[][] {
  const out: Pt[][] = [];
  let run: Pt[] = [];
  for (const row of data) {
    const v = row[key];
    if (present(v)) run.push({ t: row.t, y0: 0, y1: v });
    else if (run.length) {
      out.push(run);
      run = [];
    }
  }
  if (run.length) out.push(run);
  return out;
}

/**
 * Series stacked in the given order (the first at the bottom): a band sits on the values present
 * below it in the same row. A missing value is a gap in its own band and adds nothing below others.
 */
export function stackedRuns(data: readonly ChartRow[], keys: readonly string[]): Pt[][][] {
  const out: Pt[][][] = keys.map(() => []);
  const open: Pt[][] = keys.map(() => []);
  for (const row of data) {
    let base = 0;
    keys.forEach((k, i) => {
      const v = row[k];
      if (present(v)) {
        open[i].push({ t: row.t, y0: base, y1: base + v });
        base += v;
      } else if (open[i].length) {
        out[i].push(open[i]);
        open[i] = [];
      }
    });
  }
  keys.forEach((_, i) => {
    if (open[i].length) out[i].push(open[i]);
  });
  return out;
}

/** The top of every row's stack, for the y domain. */
export function stackTops(data: readonly ChartRow[], keys: readonly string[]): number[] {
  return data.map((row) => keys.reduce((sum, k) => sum + (present(row[k]) ? (row[k] as number) : 0), 0));
}

// A tenth of a pixel is finer than any screen shows, and keeps the markup short.
const r = (v: number) => Math.round(v * 10) / 10;

/** The line along a run's tops; empty for a lone value (drawn as a dot instead). */
export function linePath(run: readonly Pt[], x: Scale, y: Scale): string {
  if (run.length < 2) return "";
  return run.map((p, i) => `${i === 0 ? "M" : "L"}${r(x(p.t))},${r(y(p.y1))}`).join("");
}

/** A run's band: along its tops, back along its bottoms, closed. */
export function areaPath(run: readonly Pt[], x: Scale, y: Scale): string {
  if (run.length < 2) return "";
  const top = run.map((p) => `${r(x(p.t))},${r(y(p.y1))}`);
  const bottom = [...run].reverse().map((p) => `${r(x(p.t))},${r(y(p.y0))}`);
  return `M${top.join("L")}L${bottom.join("L")}Z`;
}

/** The row whose time is nearest `t` (rows sorted by time), or -1 for no rows. */
export function nearestIndex(data: readonly { t: number }[], t: number): number {
  if (!data.length) return -1;
  let lo = 0;
  let hi = data.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (data[mid].t <= t) lo = mid;
    else hi = mid;
  }
  return Math.abs(data[hi].t - t) < Math.abs(data[lo].t - t) ? hi : lo;
}

/**
 * Where the labels of horizontal lines go, as the top of each label's box (px, y down). From the
 * highest line down, a label sits just above its line, unless that would print past the top or on
 * the label before it; then just below. Two close lines (max_connections 100, usable 97) thus get
 * one label above and one below.
 */
export function referenceLabelTops(linesY: readonly number[], top: number, labelHeight: number, gap = 2): number[] {
  const order = linesY.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const tops = new Array<number>(linesY.length);
  let prevBottom = -Infinity;
  for (const { y, i } of order) {
    const above = y - gap - labelHeight;
    const at = above >= top && above >= prevBottom ? above : Math.max(y + gap, prevBottom);
    tops[i] = at;
    prevBottom = at + labelHeight;
  }
  return tops;
}
