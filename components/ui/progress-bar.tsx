import { cx } from "./cx";

// A share of something done or used, 0..100; null draws an empty track marked unknown, never 0 %.

const FILL = { info: "bg-sky-600 dark:bg-sky-500", warn: "bg-amber-500", bad: "bg-red-600 dark:bg-red-500" } as const;

export function ProgressBar({ percent, label, tone = "info", className }: { percent: number | null; label: string; tone?: keyof typeof FILL; className?: string }) {
  const known = percent !== null;
  const width = known ? Math.min(100, Math.max(0, percent)) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={known ? Math.round(width * 10) / 10 : undefined}
      aria-valuetext={known ? undefined : "unknown"}
      className={cx("h-2 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-700", className)}
    >
      {/* A sliver stays visible for a value just above 0, which would otherwise read as none. */}
      <div className={cx("h-full", FILL[tone])} style={{ width: `${width > 0 ? Math.max(width, 1) : 0}%` }} />
    </div>
  );
}
