"use client";

import { ChartLine } from "@/components/charts/lazy";
import { hasValues, joinSeries } from "@/components/charts/join-series";
import { formatterForUnit } from "@/components/charts/unit-format";
import { useNow } from "@/components/ui/use-now";
import { REFRESH_MS, stepSecondsFor } from "@/lib/limits";
import { Panel } from "./panel";
import { chartCadenceMs, drawnState, newestValueAt, panelState } from "./panel-state";
import { useChartsInView } from "@/components/charts/use-charts";
import { useSeriesForTargets } from "./queries";

/** Taller than the default: one line per target. */
const HEIGHT = 220;

/** Connections of the list's first targets on one chart, refreshed in place without a reload. */
export function PanelOverviewConnections({
  targets,
  total,
  targetsPending,
  targetsError,
  rangeMs,
}: {
  targets: ReadonlyArray<{ id: string; name: string }>;
  /** Targets in the fleet: the subtitle says when the chart draws fewer. */
  total: number;
  targetsPending: boolean;
  targetsError: Error | null;
  rangeMs: number;
}) {
  const now = useNow(5000);
  const ids = targets.map((t) => t.id);
  const results = useSeriesForTargets(ids, "connections_total", rangeMs, REFRESH_MS.overview);
  const data = joinSeries(Object.fromEntries(ids.map((id, i) => [id, results[i]?.data?.points])));
  const error = targetsError ?? results.find((r) => r.error)?.error ?? null;
  const newest = newestValueAt(results.map((r) => r.data?.points));
  const [slot, charts] = useChartsInView<HTMLElement>();
  const state = drawnState(panelState({
    isPending: targetsPending || results.some((r) => r.isPending),
    error: targetsError ?? (results.length > 0 && results.every((r) => r.error) ? error : null),
    hasData: hasValues(data, ids),
    takenAt: newest,
    cadenceMs: chartCadenceMs(stepSecondsFor(rangeMs), results.map((r) => r.data)),
    now,
  }), charts !== null);
  return (
    <Panel slot={slot}
      testId="chart-connections"
      title="Connections"
      subtitle={targets.length < total ? `client sessions of the first ${targets.length} of ${total} targets in the list, refreshed live` : "client sessions per target, refreshed live"}
      state={state}
      error={error}
      takenAt={newest}
      bodyHeight={`${HEIGHT}px`}
      empty={total === 0 ? "No targets configured: add one to pgpulse.config.json or set DATABASE_URL." : targets.length === 0 ? "No target matches the list's filters." : undefined}
    >
      <ChartLine
        data={data}
        categories={ids}
        labels={Object.fromEntries(targets.map((t) => [t.id, t.name]))}
        valueFormatter={formatterForUnit("count")}
        xDomain={[now - rangeMs, now]}
        rangeMs={rangeMs}
        height={HEIGHT}
      />
    </Panel>
  );
}
