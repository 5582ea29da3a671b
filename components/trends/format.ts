import { formatBytes } from "@/lib/format/bytes";
import { formatDuration, formatSeconds } from "@/lib/format/duration";
import { formatPercent, formatRate, UNKNOWN } from "@/lib/format/number";

// Formatters of the weekly figures. A figure that is not known prints as UNKNOWN, never as 0.

export type Fmt = (v: number) => string;

export const fmtOr = (f: Fmt) => (v: number | null | undefined) => (v === null || v === undefined ? UNKNOWN : f(v));
export const count: Fmt = (v) => Math.round(v).toLocaleString("en-US");
export const pct: Fmt = (v) => formatPercent(v);
export const rate: Fmt = (v) => formatRate(v);
export const bytes: Fmt = (v) => formatBytes(v);
export const ms: Fmt = (v) => formatDuration(v);
export const secs: Fmt = (v) => formatSeconds(v);
export const day = (iso: string | null) =>
  iso ? new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }) : UNKNOWN;
