import { UNKNOWN } from "./number";
import { formatDuration } from "./duration";

// Times: relative for reading ("12 s ago"), absolute ISO for hover and CSV. `now` is always an
// argument so nothing freezes a clock at import.

export function formatAgo(iso: string | null | undefined, now: number): string {
  if (!iso) return UNKNOWN;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return UNKNOWN;
  const d = now - t;
  if (d < 0) return `in ${formatDuration(-d)}`;
  if (d < 1000) return "just now";
  return `${formatDuration(Math.floor(d / 1000) * 1000)} ago`;
}

/** Local date and time, minute precision: "2025-03-04 13:07". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return UNKNOWN;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return UNKNOWN;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function formatDate(iso: string | null | undefined): string {
  const s = formatDateTime(iso);
  return s === UNKNOWN ? s : s.slice(0, 10);
}

/** Axis tick: time only for ranges within a day, date and hour beyond. */
export function formatTick(iso: string, rangeMs: number): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  if (rangeMs <= 86_400_000) return `${p(d.getHours())}:${p(d.getMinutes())}`;
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}h`;
}
