"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { alertWindow } from "@/components/charts/alert-window-layout";
import type { AlertWindowLine } from "@/components/charts/alert-window-layout";
import { hasValues, joinSeries } from "@/components/charts/join-series";
import { useChartsInView } from "@/components/charts/use-charts";
import { cx } from "@/components/ui/cx";
import { TONE_TEXT } from "@/components/ui/palette";
import type { AlertContext } from "@/lib/api/alert-context";
import { formatAlertValue } from "@/lib/api/alert-view";
import type { Alert } from "@/lib/api/alerts";
import { fetchJson } from "@/lib/api/fetch-json";
import type { seriesResponseSchema } from "@/lib/api/series";
import { REFRESH_MS } from "@/lib/limits";
import { Panel } from "./panel";
import { drawnState, panelState } from "./panel-state";

// The rule's measure around the episode, from the store's series, in the alert's unit, with
// the line that fires it, the line that clears it and the moment it fired.

type Chart = NonNullable<AlertContext["chart"]>;

function useAlertWindow(alert: Alert, chart: Chart) {
  const open = alert.resolvedAt === null;
  return useQuery({
    queryKey: ["alert-chart", alert.id, chart.metric, alert.resolvedAt],
    queryFn: async () => {
      // The window is taken when the request is made: an open episode's ends now.
      const [from, to] = alertWindow(Date.parse(alert.since), alert.resolvedAt ? Date.parse(alert.resolvedAt) : null, Date.now());
      const p = new URLSearchParams({ metric: chart.metric, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
      if (chart.database) p.set("database", chart.database);
      const res = await fetchJson<typeof seriesResponseSchema>(`/api/targets/${encodeURIComponent(alert.target)}/series?${p}`);
      return { res, window: [from, to] as [number, number] };
    },
    refetchInterval: open ? REFRESH_MS.charts : false,
    placeholderData: keepPreviousData,
  });
}

export function PanelAlertChart({ alert, context }: { alert: Alert; context: AlertContext }) {
  if (!context.chart) {
    return (
      <p data-testid="alert-chart-none" className={cx("text-sm", TONE_TEXT.secondary)}>
        No stored series measures this rule&apos;s value over time; the state changes below record the value at each change.
      </p>
    );
  }
  return <AlertWindow alert={alert} context={context} chart={context.chart} />;
}

function AlertWindow({ alert, context, chart }: { alert: Alert; context: AlertContext; chart: Chart }) {
  const q = useAlertWindow(alert, chart);
  const [slot, charts] = useChartsInView<HTMLElement>();
  const scaled = q.data?.res.points.map(([t, v]): [string, number | null] => [t, v === null ? null : v * chart.scale]);
  const data = joinSeries({ value: scaled });
  const state = drawnState(
    panelState({ isPending: q.isPending, error: q.error, hasData: hasValues(data, ["value"]), takenAt: null, cadenceMs: 0, now: 0 }),
    charts !== null,
  );
  const f = (v: number) => formatAlertValue(v, alert.unit);
  const lines: AlertWindowLine[] = [{ y: context.threshold, label: `fires ${context.comparator === "gt" ? "above" : "below"} ${f(context.threshold)}`, kind: "threshold" }];
  if (context.clearThreshold !== null && context.clearThreshold !== context.threshold) lines.push({ y: context.clearThreshold, label: `clears at ${f(context.clearThreshold)}`, kind: "clear" });
  return (
    <Panel slot={slot} testId="panel-alert-chart" title={`${chart.label} around the episode`} state={state} error={q.error} unavailable={q.data?.res.unavailable ?? null} empty="The store holds no sample of this series around the episode.">
      {charts && q.data ? (
        <charts.ChartAlertWindow data={data} label={chart.label} valueFormatter={f} lines={lines} firedAt={Date.parse(alert.firedAt ?? alert.since)} xDomain={q.data.window} yCeiling={alert.unit === "percent" ? 100 : undefined} />
      ) : null}
    </Panel>
  );
}
