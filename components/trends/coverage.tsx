import { cx } from "@/components/ui/cx";
import { TONE_CELL } from "@/components/ui/palette";
import type { CoverageDay } from "@/lib/api/trends";
import { WEEKDAY_LABELS } from "@/lib/trends/iso-week";

/** One week's days, each with the share of its hours that have data. */
export function TrendsCoverage({ label, days }: { label: string; days: CoverageDay[] }) {
  return (
    <div className="flex flex-wrap items-center gap-1 text-xs">
      <span className="w-20 text-slate-500 dark:text-slate-400">{label}</span>
      {days.map((d) => {
        const share = d.hours === 0 ? null : d.hoursWithData / d.hours;
        return (
          <span
            key={d.date}
            title={`${d.date}: ${d.hoursWithData} of ${d.hours} hours with data${d.simulated ? " (simulated)" : ""}`}
            data-testid={`coverage-${d.date}`}
            className={cx(
              "tabular rounded px-1.5 py-0.5",
              TONE_CELL[share === null ? "muted" : share === 1 ? "good" : share === 0 ? "bad" : "warn"],
              d.simulated && "italic",
            )}
          >
            {WEEKDAY_LABELS[d.weekday - 1]} {share === null ? "—" : `${Math.round(share * 100)} %`}
            {d.simulated ? "*" : ""}
          </span>
        );
      })}
    </div>
  );
}
