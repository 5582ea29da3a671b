"use client";

import { ChartArea } from "@/components/charts/lazy";
import { ChartLine } from "@/components/charts/lazy";
import { CHART_HEIGHT } from "@/components/charts/chart-height";
import type { Reference, YBound } from "@/components/charts/chart-parts";
import { hasValues, joinSeries } from "@/components/charts/join-series";
import { formatterForUnit } from "@/components/charts/unit-format";
import { useNow } from "@/components/ui/use-now";
import type { ReactNode } from "react";
import { stepSecondsFor } from "@/lib/limits";
import { Panel } from "./panel";
import { chartCadenceMs, drawnState, newestValueAt, panelState } from "./panel-state";
import { useChartsInView } from "@/components/charts/use-charts";
import { useSeriesLines, type SeriesLine } from "./queries";
import { SERIES_UNITS } from "@/lib/api/series-metrics";

// A chart of one or more series of a target over a recent window. The series are fetched
// separately and joined by timestamp; the panel is "ready" only once a real point is drawn.

export function PanelChart({
  testId,
  title,
  subtitle,
  targetId,
  rangeMs,
  metrics,
  kind = "line",
  references = [],
  yDomain,
  paused,
  height,
  empty,
}: {
  testId: string;
  title: string;
  subtitle?: string;
  targetId: string;
  rangeMs: number;
  /** Lines of the same unit; `standby` picks one standby of a per-standby series. */
  metrics: ReadonlyArray<SeriesLine & { label: string }>;
  kind?: "line" | "area";
  references?: Reference[];
  yDomain?: [YBound, YBound];
  paused?: boolean;
  height?: number;
  /** What "no data yet" means for this chart. */
  empty?: ReactNode;
}) {
  const results = useSeriesLines(targetId, metrics, rangeMs, { paused });
  const now = useNow(5000);
  // Joined on every render (a few hundred points, re-rendered every 5 s): cheaper to reason about
  // than a memo keyed on fetch stamps.
  const key = (m: SeriesLine) => (m.standby === undefined ? m.metric : `${m.metric}@${m.standby}`);
  const data = joinSeries(Object.fromEntries(metrics.map((m, i) => [key(m), results[i]?.data?.points])));
  const categories = metrics.map(key);
  const labels = Object.fromEntries(metrics.map((m) => [key(m), m.label]));
  const unit = SERIES_UNITS[metrics[0].metric];
  const failed = results.find((r) => r.error)?.error ?? null;
  const unavailable = results.map((r) => r.data?.unavailable).find(Boolean) ?? null;
  const newest = newestValueAt(results.map((r) => r.data?.points));
  const [slot, charts] = useChartsInView<HTMLElement>();
  const state = drawnState(panelState({
    isPending: results.some((r) => r.isPending),
    error: failed,
    hasData: hasValues(data, categories),
    takenAt: newest,
    cadenceMs: chartCadenceMs(stepSecondsFor(rangeMs), results.map((r) => r.data)),
    now,
  }), charts !== null);
  const Chart = kind === "area" ? ChartArea : ChartLine;
  return (
    <Panel slot={slot} testId={testId} title={title} subtitle={subtitle} state={state} error={failed} takenAt={newest} unavailable={unavailable} empty={empty} bodyHeight={`${height ?? CHART_HEIGHT}px`}>
      <Chart
        data={data}
        categories={categories}
        labels={labels}
        valueFormatter={formatterForUnit(unit)}
        references={references}
        xDomain={[now - rangeMs, now]}
        yDomain={yDomain}
        rangeMs={rangeMs}
        height={height}
      />
    </Panel>
  );
}
