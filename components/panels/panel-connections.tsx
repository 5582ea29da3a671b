"use client";

import { ChartArea } from "@/components/charts/lazy";
import { CHART_HEIGHT } from "@/components/charts/chart-height";
import type { Reference } from "@/components/charts/chart-parts";
import { hasValues, joinSeries, remainder } from "@/components/charts/join-series";
import { formatterForUnit } from "@/components/charts/unit-format";
import { useNow } from "@/components/ui/use-now";
import { REFRESH_MS, stepSecondsFor } from "@/lib/limits";
import { Panel } from "./panel";
import { chartCadenceMs, drawnState, lastValueAt, panelState } from "./panel-state";
import { useChartsInView } from "@/components/charts/use-charts";
import { useActivity, useSeries } from "./queries";

/** Connections by state, stacked, against max_connections, the usable limit and the pool size. */
export function PanelConnections({ targetId, rangeMs, paused }: { targetId: string; rangeMs: number; paused: boolean }) {
  const [total, active, iit] = useSeries(targetId, ["connections_total", "connections_active", "connections_idle_in_transaction"], rangeMs, { paused });
  const activity = useActivity(targetId, paused);
  const now = useNow(5000);
  const rows = joinSeries({ total: total.data?.points, active: active.data?.points, idle_in_transaction: iit.data?.points });
  // Idle and other states are what total leaves after the two states drawn explicitly.
  const data = remainder(rows, "total", ["active", "idle_in_transaction"], "other");
  const cats = ["active", "idle_in_transaction", "other"];
  const error = total.error ?? active.error ?? iit.error ?? null;
  const newest = total.data ? lastValueAt(total.data.points) : null;
  const [slot, charts] = useChartsInView<HTMLElement>();
  const state = drawnState(panelState({
    isPending: total.isPending,
    error: total.error && !total.data ? total.error : null,
    hasData: hasValues(data, cats),
    takenAt: newest,
    cadenceMs: chartCadenceMs(stepSecondsFor(rangeMs), [total.data, active.data, iit.data]),
    // Sessions are sampled every few seconds but the chart polls less often: data fetched
    // fresh ages on screen until the next poll.
    slackMs: REFRESH_MS.charts,
    now,
  }), charts !== null);
  const sat = activity.data?.saturation;
  const refs: Reference[] = [];
  if (sat?.max) refs.push({ y: sat.max, label: `max_connections ${sat.max}`, kind: "limit" });
  if (sat?.usable && sat.usable !== sat.max) refs.push({ y: sat.usable, label: `usable ${sat.usable}`, kind: "context" });
  if (activity.data?.poolSize) refs.push({ y: activity.data.poolSize, label: `pool ${activity.data.poolSize}`, kind: "context" });
  return (
    <Panel slot={slot} testId="panel-connections" title="Connections by state" subtitle={sat?.ratio != null ? `${Math.round(sat.ratio * 100)} % of usable connections in use` : undefined} state={state} error={error} takenAt={newest} unavailable={total.data?.unavailable} bodyHeight={`${CHART_HEIGHT}px`} reserveSubtitle>
      <ChartArea
        data={data}
        categories={cats}
        labels={{ active: "active", idle_in_transaction: "idle in transaction", other: "idle / other" }}
        valueFormatter={formatterForUnit("count")}
        references={refs}
        xDomain={[now - rangeMs, now]}
        rangeMs={rangeMs}
      />
    </Panel>
  );
}
