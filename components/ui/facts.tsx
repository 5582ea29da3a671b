import type { ReactNode } from "react";
import { cx } from "./cx";
import { TONE_TEXT } from "./palette";

// Complete class strings (Tailwind keeps only what it sees whole): "wide" for a full-width panel,
// "narrow" for one of several side by side, where two columns would truncate every value.
const LAYOUT = {
  wide: "grid-cols-1 sm:grid-cols-2 xl:grid-cols-3",
  narrow: "grid-cols-1",
} as const;

/** Label/value pairs in a grid that folds to one column on a phone. */
export function Facts({ items, testId, layout = "narrow" }: { items: ReadonlyArray<{ label: string; value: ReactNode; id?: string }>; testId?: string; layout?: keyof typeof LAYOUT }) {
  return (
    <dl data-testid={testId} className={cx("grid gap-x-6 gap-y-2 text-sm", LAYOUT[layout])}>
      {items.map((f) => (
        <div key={f.label} className="flex min-w-0 items-baseline justify-between gap-3 border-b border-slate-100 pb-1 dark:border-slate-800">
          <dt className={cx("shrink-0 text-xs", TONE_TEXT.muted)}>{f.label}</dt>
          <dd className="min-w-0 truncate text-right" data-testid={f.id}>
            {f.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
