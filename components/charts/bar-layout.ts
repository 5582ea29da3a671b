import type { Scale } from "./scales";

// The geometry of the grouped bar charts, pure so it is tested without a browser: one band per
// row (a weekday), inside it one bar per category side by side. A missing value (null) is no bar
// at all, never a bar of height 0, so "no data" and "zero" look different.

/** Share of a band left empty between groups, and px between the bars of one group. */
const GROUP_GAP = 0.2;
const BAR_GAP = 2;

export interface Band {
  /** Left edge and width of the group of bars. */
  x: number;
  width: number;
  /** Where the band's label is centred. */
  center: number;
}

/** `count` equal bands over [r0, r1], each with its group of bars centred in it. */
export function bands(count: number, [r0, r1]: readonly [number, number]): Band[] {
  if (count <= 0) return [];
  const step = (r1 - r0) / count;
  const width = step * (1 - GROUP_GAP);
  return Array.from({ length: count }, (_, i) => ({ x: r0 + i * step + (step - width) / 2, width, center: r0 + (i + 0.5) * step }));
}

/** The band under a position on the axis (the pointer), or -1 outside them. */
export function bandIndexAt(count: number, [r0, r1]: readonly [number, number], px: number): number {
  if (count <= 0 || r1 <= r0 || px < r0 || px > r1) return -1;
  return Math.min(count - 1, Math.floor(((px - r0) / (r1 - r0)) * count));
}

export interface BarRect {
  row: number;
  category: string;
  /** Index of the category: its colour. */
  series: number;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

const present = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** A bar per present value, from the zero line to the value (downwards for a negative one). */
export function barRects(rows: ReadonlyArray<Record<string, unknown>>, categories: readonly string[], groups: readonly Band[], y: Scale): BarRect[] {
  const n = categories.length;
  const out: BarRect[] = [];
  rows.forEach((row, r) => {
    const g = groups[r];
    if (!g || n === 0) return;
    const width = Math.max(1, (g.width - BAR_GAP * (n - 1)) / n);
    categories.forEach((category, series) => {
      const value = row[category];
      if (!present(value)) return;
      const y0 = y(0);
      const y1 = y(value);
      out.push({ row: r, category, series, value, x: g.x + series * (width + BAR_GAP), y: Math.min(y0, y1), width, height: Math.abs(y1 - y0) });
    });
  });
  return out;
}
