// Where the alert chart puts its lines and labels, pure so it can be tested without a browser.
//
// Horizontal labels sit at the left: the upper line's above it, the lower line's below it, so two
// close lines (90 % and 92 %) never print on each other. The y domain is padded by 30 % of the
// span on each side, which keeps the upper label clear of the top band where the "fired" label
// sits. The "fired" label goes right of its line unless the line is in the last quarter.

export interface AlertWindowLine {
  y: number;
  label: string;
  kind: "threshold" | "clear";
}


/**
 * `ceiling`: the most the measure can be, from the caller that knows its unit (100 for a
 * percentage): the padded axis stops there unless a value or a line passes it (no 140 % axis).
 */
export function alertWindowLayout(input: { values: number[]; lines: AlertWindowLine[]; firedAt: number; xDomain: [number, number]; ceiling?: number }) {
  const all = [...input.values, ...input.lines.map((l) => l.y)];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  // A flat series on its line still needs room for the labels.
  const span = hi - lo || Math.abs(hi) || 1;
  const pad = span * 0.3;
  // A measure that cannot go negative (durations, sizes, ratios) does not get a negative axis.
  const [y0, y1] = niceDomain(lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad);
  const yDomain: [number, number] = [y0, input.ceiling !== undefined && hi <= input.ceiling ? Math.min(y1, input.ceiling) : y1];
  const sorted = [...input.lines].sort((a, b) => b.y - a.y);
  const lines = sorted.map((l, i) => ({ ...l, side: (i === 0 ? "above" : "below") as "above" | "below" }));
  const [x0, x1] = input.xDomain;
  const at = x1 > x0 ? (input.firedAt - x0) / (x1 - x0) : 0;
  const firedLabelSide: "left" | "right" = at > 0.75 ? "left" : "right";
  return { yDomain, lines, firedLabelSide };
}

/**
 * The window drawn around an episode: as long before the start as the episode lasted (at
 * least 15 minutes), so the start sits in the right half, and after a resolved one as long again.
 */
export function alertWindow(since: number, resolvedAt: number | null, now: number): [number, number] {
  const end = resolvedAt ?? now;
  const before = Math.max(15 * 60_000, end - since);
  return [since - before, resolvedAt === null ? now : Math.min(now, resolvedAt + before / 2)];
}

/** Widens [lo, hi] to multiples of a round step (1, 2 or 5 × 10ⁿ), so the axis ticks read cleanly. */
export function niceDomain(lo: number, hi: number): [number, number] {
  const range = hi - lo;
  if (!(range > 0)) return [lo, hi];
  const magnitude = 10 ** Math.floor(Math.log10(range / 4));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => range / s <= 6) ?? 10 * magnitude;
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}
