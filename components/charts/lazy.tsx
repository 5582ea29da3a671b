"use client";

import type { ComponentProps } from "react";
import type { ChartBar as ChartBarT } from "./chart-bar";
import type { CartesianProps } from "./chart-parts";
import { CHART_HEIGHT } from "./chart-height";
import { useChartsInView } from "./use-charts";

// Placeholders of the right height until the chart chunk arrives, so nothing jumps; the chunk is
// fetched when a placeholder nears the viewport (use-charts.ts).

function Placeholder({ height = CHART_HEIGHT, slot }: { height?: number; slot: (el: HTMLDivElement | null) => void }) {
  return <div ref={slot} role="status" style={{ height }} className="animate-pulse rounded bg-slate-50 dark:bg-slate-800/50" aria-label="Loading chart" />;
}

export function ChartLine(props: CartesianProps) {
  const [slot, c] = useChartsInView<HTMLDivElement>();
  return c ? <c.ChartLine {...props} /> : <Placeholder height={props.height} slot={slot} />;
}

export function ChartArea(props: CartesianProps) {
  const [slot, c] = useChartsInView<HTMLDivElement>();
  return c ? <c.ChartArea {...props} /> : <Placeholder height={props.height} slot={slot} />;
}

export function ChartBar(props: ComponentProps<typeof ChartBarT>) {
  const [slot, c] = useChartsInView<HTMLDivElement>();
  return c ? <c.ChartBar {...props} /> : <Placeholder height={props.height} slot={slot} />;
}
