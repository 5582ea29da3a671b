"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { REFERENCE_COLOR, REFERENCE_SOFT_COLOR, SERIES_COLORS } from "@/components/ui/palette";
import { AXIS_TICK, ChartTooltip, timeTick } from "./chart-parts";
import type { ChartRow } from "./join-series";
import { alertWindowLayout, type AlertWindowLine } from "./alert-window-layout";
import { loneDot } from "./chart-xy";

// One metric around an alert's episode with the rule's lines and the moment it fired. Labels
// are placed so they cannot overlap (alert-window-layout.ts): the upper line's label above it,
// the lower one's below it, both at the left; the "fired" label at the top beside its line.

export function ChartAlertWindow({
  data,
  label,
  valueFormatter,
  lines,
  firedAt,
  xDomain,
  yCeiling,
  height = 220,
}: {
  data: ChartRow[];
  label: string;
  valueFormatter: (v: number) => string;
  lines: AlertWindowLine[];
  firedAt: number;
  xDomain: [number, number];
  /** The most the measure can be (100 for a percentage): see alertWindowLayout. */
  yCeiling?: number;
  height?: number;
}) {
  const values = data.map((r) => r.value).filter((v): v is number => typeof v === "number");
  const layout = alertWindowLayout({ values, lines, firedAt, xDomain, ceiling: yCeiling });
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
        <XAxis dataKey="t" type="number" scale="time" domain={xDomain} tickFormatter={timeTick(xDomain[1] - xDomain[0])} tick={AXIS_TICK} minTickGap={40} />
        <YAxis domain={layout.yDomain} tickFormatter={(v: number) => valueFormatter(v)} tick={AXIS_TICK} width={64} allowDataOverflow />
        <Tooltip content={<ChartTooltip valueFormatter={valueFormatter} labels={{ value: label }} />} />
        {layout.lines.map((l) => (
          <ReferenceLine
            key={l.label}
            y={l.y}
            stroke={l.kind === "threshold" ? REFERENCE_COLOR : REFERENCE_SOFT_COLOR}
            strokeDasharray="6 4"
            label={{ value: l.label, position: l.position, fontSize: 11, fill: "currentColor", className: "alert-line-label" }}
          />
        ))}
        <ReferenceLine
          x={firedAt}
          stroke={REFERENCE_SOFT_COLOR}
          label={{ value: "fired", position: layout.firedLabelPosition, fontSize: 11, fill: "currentColor", className: "alert-line-label" }}
        />
        {/*
          A value between gaps shows as a point, not an invisible line: a statement caught once or
          twice, or a metric sampled more slowly than the window's step (the cache ratio every
          15 s in 5 s buckets: every value stands alone, and a line-only chart looked empty).
        */}
        <Line dataKey="value" name="value" stroke={SERIES_COLORS[0]} dot={loneDot(data, "value", SERIES_COLORS[0])} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
