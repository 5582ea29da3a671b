import { formatBytes, formatBytesExact, formatBytesPerDay } from "@/lib/format/bytes";
import { formatDuration, formatDurationExact } from "@/lib/format/duration";
import { formatCompact, formatExact, formatPercent, formatRate } from "@/lib/format/number";
import { cx } from "./cx";

// A number shown for humans with its exact value on hover (and to screen readers via title).

const KINDS = {
  bytes: { human: formatBytes, exact: formatBytesExact },
  bytesPerDay: { human: formatBytesPerDay, exact: (n: number | null) => formatExact(n, "bytes/day") },
  ms: { human: formatDuration, exact: formatDurationExact },
  count: { human: formatCompact, exact: (n: number | null) => formatExact(n) },
  rate: { human: formatRate, exact: (n: number | null) => formatExact(n, "/s") },
  percent: { human: (n: number | null) => formatPercent(n), exact: (n: number | null) => formatExact(n, "%") },
} as const;
export type ValueKind = keyof typeof KINDS;

export function Value({ value, kind, className }: { value: number | null | undefined; kind: ValueKind; className?: string }) {
  const v = value ?? null;
  const k = KINDS[kind];
  return (
    <span className={cx("tabular", v === null && "text-slate-500 dark:text-slate-400", className)} title={v === null ? "unknown" : k.exact(v)}>
      {k.human(v)}
    </span>
  );
}

/** An ISO time shown relative or as a date, with the exact timestamp on hover. */
export function Time({ iso, children }: { iso: string | null; children: React.ReactNode }) {
  return iso ? (
    <time dateTime={iso} title={iso} className="tabular">
      {children}
    </time>
  ) : (
    <span className="text-slate-500 dark:text-slate-400" title="never or unknown">
      —
    </span>
  );
}
