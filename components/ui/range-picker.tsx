"use client";

import type { RangeKey } from "@/lib/limits";
import { cx } from "./cx";

/** A segmented control for time windows; the value lives in the URL. */
export function RangePicker<K extends RangeKey>({
  options,
  value,
  onChange,
  label = "Time range",
}: {
  options: readonly K[];
  value: K | null;
  onChange: (k: K) => void;
  label?: string;
}) {
  return (
    <div role="radiogroup" aria-label={label} className="inline-flex overflow-hidden rounded ring-1 ring-slate-300 dark:ring-slate-600">
      {options.map((o) => (
        <button
          key={o}
          type="button"
          role="radio"
          aria-checked={o === value}
          data-testid={`range-${o}`}
          onClick={() => onChange(o)}
          className={cx(
            "px-2 py-1 text-xs tabular focus-visible:outline-2 focus-visible:outline-sky-600",
            o === value ? "bg-sky-700 text-white" : "bg-white hover:bg-slate-50 dark:bg-slate-800 dark:hover:bg-slate-700",
          )}
        >
          {o}
        </button>
      ))}
    </div>
  );
}
