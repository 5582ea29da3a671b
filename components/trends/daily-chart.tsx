import { ChartBar } from "@/components/charts/lazy";
import { Card, CardHeader } from "@/components/ui/card";
import type { DayPair } from "@/lib/api/trends";
import { WEEKDAY_LABELS } from "@/lib/trends/iso-week";
import type { Fmt } from "./format";

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
        <ChartBar data={data} index="day" categories={["current", "previous"]} labels={{ current: week, previous: previousWeek }} valueFormatter={f} references={reference ? [reference] : []} height={180} />
      ) : (
        <p className="text-sm text-slate-500 dark:text-slate-400">No data for either week.</p>
      )}
    </Card>
  );
}
