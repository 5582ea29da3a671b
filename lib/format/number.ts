// Numbers for people. Every function takes null/undefined and answers "—": unknown is not zero.

export const UNKNOWN = "—";

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 });

/** The exact value, with thousands separators, for hover titles and CSV. */
export function formatExact(n: number | null | undefined, unit = ""): string {
  if (n === null || n === undefined || Number.isNaN(n)) return UNKNOWN;
  return grouped.format(n) + (unit ? ` ${unit}` : "");
}

/** 3 significant digits with k/M/G suffixes: 950, 1.23k, 45.6M. */
export function formatCompact(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return UNKNOWN;
  const abs = Math.abs(n);
  if (abs < 1000) return trim(n, abs >= 100 || Number.isInteger(n) ? 0 : abs >= 10 ? 1 : 2);
  const units = ["k", "M", "G", "T", "P"];
  let v = n;
  let i = -1;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  const a = Math.abs(v);
  return trim(v, a >= 100 ? 0 : a >= 10 ? 1 : 2) + units[i];
}

/** A transaction-ID age in words, at the scale it lives at: "1.60 billion", "2.00 million", "48,210". */
export function formatXidAge(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return UNKNOWN;
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(2)} billion`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)} million`;
  return grouped.format(Math.round(n));
}

/** A rate per second: "12.3/s". */
export function formatRate(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? UNKNOWN : `${formatCompact(n)}/s`;
}

/** A percentage already in 0–100: "93.4 %". Ratios in 0–1 go through formatRatio. */
export function formatPercent(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) return UNKNOWN;
  return `${trim(n, digits)} %`;
}

export function formatRatio(r: number | null | undefined, digits = 1): string {
  return r === null || r === undefined ? UNKNOWN : formatPercent(r * 100, digits);
}

function trim(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return digits > 0 ? s.replace(/\.?0+$/, "") : s;
}
