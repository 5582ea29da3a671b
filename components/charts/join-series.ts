import type { Point } from "@/lib/api/common";

// Series from different requests are joined by timestamp, never by array position: a bucket
// one series lacks becomes null in that series (a gap on the chart), never 0 and never a shift.

export type ChartRow = { t: number } & Record<string, number | null>;

export function joinSeries(series: Record<string, readonly Point[] | undefined>): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  const names = Object.keys(series);
  for (const name of names) {
    for (const [iso, value] of series[name] ?? []) {
      const t = Date.parse(iso);
      if (Number.isNaN(t)) continue;
      let row = rows.get(t);
      if (!row) {
        row = { t } as ChartRow;
        for (const n of names) row[n] = null;
        rows.set(t, row);
      }
      row[name] = value === null || !Number.isFinite(value) ? null : value;
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** True when at least one real (non-null) value would be drawn. */
export function hasValues(rows: readonly ChartRow[], categories: readonly string[]): boolean {
  return rows.some((r) => categories.some((c) => r[c] !== null && r[c] !== undefined));
}

/** Scale every value (e.g. a 0–1 ratio to percent) keeping nulls. */
export function scalePoints(points: readonly Point[], factor: number): Point[] {
  return points.map(([t, v]) => [t, v === null ? null : v * factor]);
}

/**
 * Adds `name` = whole − Σ parts per row (e.g. idle = total − active − idle in transaction).
 * Unknown when any input is unknown; clamped at 0, since samples of the parts and of the whole
 * are taken at slightly different instants.
 */
export function remainder(rows: ChartRow[], whole: string, parts: readonly string[], name: string): ChartRow[] {
  return rows.map((r) => {
    const w = r[whole];
    const ps = parts.map((p) => r[p]);
    const known = w !== null && w !== undefined && ps.every((p) => p !== null && p !== undefined);
    return { ...r, [name]: known ? Math.max(0, w - ps.reduce<number>((a, b) => a + (b as number), 0)) : null };
  });
}
