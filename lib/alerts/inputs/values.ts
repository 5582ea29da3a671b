// Row cells arrive as numbers, numeric strings (int8 on some pools) or null. Null stays null.

export type Row = Record<string, unknown>;

export function num(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function str(v: unknown): string | null {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : null;
}

export function truncate(text: string | null, max = 500): string | null {
  return text === null || text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** A timestamp cell (a Date from the driver, or ISO text from a replayed row) as epoch ms. */
export function epochMs(v: unknown): number | null {
  const t = v instanceof Date ? v.getTime() : typeof v === "string" ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : t;
}
