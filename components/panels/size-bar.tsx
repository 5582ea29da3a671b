import { cx } from "@/components/ui/cx";
import { TONE_TEXT } from "@/components/ui/palette";
import { formatBytes, formatBytesExact } from "@/lib/format/bytes";

/** Heap / indexes / toast as one bar, scaled against the size threshold (a marker at 100 %). */
export function SizeBar({
  heap,
  indexes,
  toast,
  total,
  threshold,
}: {
  heap: number | null;
  indexes: number | null;
  toast: number | null;
  total: number | null;
  threshold: number;
}) {
  if (total === null) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  // The bar spans up to the larger of the threshold and the table, so an oversize table shows
  // how far past the line it is.
  const scale = Math.max(threshold, total);
  const pct = (n: number | null) => `${((n ?? 0) / scale) * 100}%`;
  const over = total > threshold;
  return (
    <div className="w-40" title={`total ${formatBytesExact(total)}: heap ${formatBytes(heap)}, indexes ${formatBytes(indexes)}, toast ${formatBytes(toast)} · threshold ${formatBytes(threshold)}`}>
      <div className="relative h-2.5 overflow-hidden rounded bg-slate-200 dark:bg-slate-700" role="img" aria-label={`${formatBytes(total)} of ${formatBytes(threshold)} threshold`}>
        <div className="absolute inset-y-0 left-0 flex" style={{ width: pct(total) }}>
          <div className="h-full bg-sky-600" style={{ width: `${((heap ?? 0) / total) * 100}%` }} />
          <div className="h-full bg-violet-500" style={{ width: `${((indexes ?? 0) / total) * 100}%` }} />
          <div className="h-full bg-amber-500" style={{ width: `${((toast ?? 0) / total) * 100}%` }} />
        </div>
        <div className="absolute inset-y-0 w-0.5 bg-red-600" style={{ left: `calc(${pct(threshold)} - 2px)` }} />
      </div>
      <div className={over ? cx("text-xs font-semibold", TONE_TEXT.bad) : "text-xs text-slate-500 dark:text-slate-400"}>
        {formatBytes(total)} {over ? "over threshold" : ""}
      </div>
    </div>
  );
}
