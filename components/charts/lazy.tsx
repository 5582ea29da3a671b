"use client";

import type { ComponentProps } from "react";
import type { ChartBar as ChartBarT } from "./chart-bar";
import type { CartesianProps } from "./chart-parts";
import { useCharts } from "./use-charts";

// Placeholders of the right height until the chart chunk arrives, so nothing jumps.

function Placeholder({ height = 200 }: { height?: number }) {
  return <div style={{ height }} className="animate-pulse rounded bg-slate-50 dark:bg-slate-800/50" role="status" aria-label="Loading chart" />;
}

export function ChartLine(props: CartesianProps) {
  const c = useCharts();
  return c ? <c.ChartLine {...props} /> : <Placeholder height={props.height} />;
}

export function ChartArea(props: CartesianProps) {
  const c = useCharts();
  return c ? <c.ChartArea {...props} /> : <Placeholder height={props.height} />;
}

export function ChartBar(props: ComponentProps<typeof ChartBarT>) {
  const c = useCharts();
  return c ? <c.ChartBar {...props} /> : <Placeholder height={props.height} />;
}
