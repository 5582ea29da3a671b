import { ChartBar } from "@/components/charts/lazy";
import { Card, CardHeader } from "@/components/ui/card";
import { REFERENCE_COLOR, SERIES_COLORS } from "@/components/ui/palette";
import type { DayPair } from "@/lib/api/trends";
import { WEEKDAY_LABELS } from "@/lib/trends/iso-week";
import type { Fmt } from "./format";

// The bars' categories in drawing order: ChartBar colours the i-th with SERIES_COLORS[i], and the
// legend reads its swatches from the same list by the same index.
const CATEGORIES = ["current", "previous"] as const;

/** Which colour is which week, and the threshold's dashed line: in HTML, so it prints and wraps. */
function Legend({ id, week, previousWeek, reference }: { id: string; week: string; previousWeek: string; reference?: { label: string } }) {
  const names = { current: `${week} (this week)`, previous: `${previousWeek} (last week)` };
  return (
    <ul className="mb-1 flex flex-wrap gap-x-4 gap-y-1 text-xs" data-testid={`legend-${id}`} aria-label="Legend">
      {CATEGORIES.map((c, i) => (
        <li key={c} className="flex items-center gap-1" data-series={c}>
          <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-sm" data-color={SERIES_COLORS[i]} style={{ backgroundColor: SERIES_COLORS[i] }} />
          {names[c]}
        </li>
      ))}
      {reference ? (
        <li className="flex items-center gap-1" data-series="threshold">
          <span aria-hidden className="inline-block w-4 border-t-2 border-dashed" style={{ borderColor: REFERENCE_COLOR }} />
          threshold {reference.label}
        </li>
      ) : null}
    </ul>
  );
}

/** A figure per weekday, this week's bars beside last week's. */
export function TrendsDailyChart({
  id,
  title,
  pairs,
  f,
  week,
  previousWeek,
  reference,
}: {
  id: string;
  title: string;
  pairs: DayPair[];
  f: Fmt;
  week: string;
  previousWeek: string;
  reference?: { y: number; label: string };
}) {
  // Joined by weekday (the API pairs them); a null stays a missing bar, never a zero bar.
  const data = pairs.map((p) => ({ day: WEEKDAY_LABELS[p.weekday - 1], current: p.current, previous: p.previous }));
  const hasData = pairs.some((p) => p.current !== null || p.previous !== null);
  return (
    <Card className="trends-chart" data-testid={`daily-${id}`} data-state={hasData ? "ready" : "empty"}>
      <CardHeader title={title} subtitle={`${week} against ${previousWeek}, by weekday`} />
      {hasData ? (
        <>
          <Legend id={id} week={week} previousWeek={previousWeek} reference={reference} />
          <ChartBar data={data} index="day" categories={[...CATEGORIES]} labels={{ current: week, previous: previousWeek }} valueFormatter={f} references={reference ? [reference] : []} height={180} />
        </>
      ) : (
        <p className="text-sm text-slate-500 dark:text-slate-400">No data for either week.</p>
      )}
    </Card>
  );
}
