"use client";

import { useMemo } from "react";
import { ChartArea } from "@/components/charts/lazy";
import { ChartLine } from "@/components/charts/lazy";
import type { Reference, YBound } from "@/components/charts/chart-parts";
import { hasValues, joinSeries } from "@/components/charts/join-series";
import { formatterForUnit } from "@/components/charts/unit-format";
import { useNow } from "@/components/ui/use-now";
import { SERIES_UNITS, type SeriesMetric } from "@/lib/api/series";
import { stepSecondsFor } from "@/lib/limits";
import { Panel } from "./panel";
import { drawnState, lastValueAt, panelState } from "./panel-state";
import { useCharts } from "@/components/charts/use-charts";
import { useSeries } from "./queries";

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
  cadenceMs,
  height,
}: {
  testId: string;
  title: string;
  subtitle?: string;
  targetId: string;
  rangeMs: number;
  metrics: ReadonlyArray<{ metric: SeriesMetric; label: string }>;
  kind?: "line" | "area";
  references?: Reference[];
  yDomain?: [YBound, YBound];
  paused?: boolean;
  /** The collection cadence behind these series (freshness is judged against it). */
  cadenceMs: number;
  height?: number;
}) {
  const results = useSeries(
    targetId,
    metrics.map((m) => m.metric),
    rangeMs,
    { paused },
  );
  const now = useNow(5000);
  const data = useMemo(
    () => joinSeries(Object.fromEntries(metrics.map((m, i) => [m.metric, results[i]?.data?.points]))),
    [results.map((r) => r.dataUpdatedAt).join(","), metrics],
  );
  const categories = metrics.map((m) => m.metric);
  const labels = Object.fromEntries(metrics.map((m) => [m.metric, m.label]));
  const unit = SERIES_UNITS[metrics[0].metric];
  const failed = results.find((r) => r.error)?.error ?? null;
  const allFailed = results.every((r) => r.error && !r.data);
  const unavailable = results.map((r) => r.data?.unavailable).find(Boolean) ?? null;
  const newest = results
    .map((r) => (r.data ? lastValueAt(r.data.points) : null))
    .filter((t): t is string => t !== null)
    .sort()
    .at(-1) ?? null;
  const charts = useCharts();
  const state = drawnState(panelState({
    isPending: results.some((r) => r.isPending),
    error: allFailed ? failed : results.some((r) => r.error) ? failed : null,
    hasData: hasValues(data, categories),
    takenAt: newest,
    // A bucket is stamped at its start, so a fresh value can be one step plus one cadence old.
    cadenceMs: stepSecondsFor(rangeMs) * 1000 + cadenceMs,
    now,
  }), charts !== null);
  const Chart = kind === "area" ? ChartArea : ChartLine;
  return (
    <Panel testId={testId} title={title} subtitle={subtitle} state={state} error={failed} takenAt={newest} unavailable={unavailable}>
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
