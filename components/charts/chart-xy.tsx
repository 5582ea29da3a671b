"use client";

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { REFERENCE_COLOR, REFERENCE_SOFT_COLOR, SERIES_COLORS } from "@/components/ui/palette";
import { AXIS_TICK, ChartTooltip, timeTick, type CartesianProps } from "./chart-parts";

// Series over time on one frame: time axis, grid, tooltip, legend, thresholds as reference
// lines. A null is a gap (connectNulls off), never drawn as 0.

export function ChartXY({
  kind,
  data,
  index = "t",
  categories,
  labels,
  valueFormatter,
  references = [],
  xDomain,
  yDomain = [0, "auto"],
  rangeMs,
  height = 200,
  colors = SERIES_COLORS,
}: CartesianProps & { kind: "line" | "area" }) {
  const Frame = kind === "area" ? AreaChart : LineChart;
  // A fixed numeric top (100 for a ratio) stays the top; otherwise recharts widens the domain
  // to fit every value.
  const fixedTop = typeof yDomain[1] === "number" && yDomain[1] !== 0;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <Frame accessibilityLayer={false} data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
        <XAxis dataKey={index} type="number" scale="time" domain={xDomain ?? ["dataMin", "dataMax"]} tickFormatter={timeTick(rangeMs)} tick={AXIS_TICK} minTickGap={40} />
        <YAxis domain={yDomain} tickFormatter={(v: number) => valueFormatter(v)} tick={AXIS_TICK} width={64} allowDataOverflow={fixedTop} />
        <Tooltip content={<ChartTooltip valueFormatter={valueFormatter} labels={labels} />} />
        {categories.length > 1 ? <Legend formatter={(v: string) => labels?.[v] ?? v} wrapperStyle={{ fontSize: 12 }} /> : null}
        {references.map((r) => (
          <ReferenceLine
            key={`${r.label}-${r.y}`}
            y={r.y}
            stroke={r.kind === "context" ? REFERENCE_SOFT_COLOR : REFERENCE_COLOR}
            strokeDasharray="6 4"
            ifOverflow="extendDomain"
            label={{ value: r.label, position: "insideTopRight", fontSize: 11, fill: "currentColor" }}
          />
        ))}
        {categories.map((c, i) =>
          kind === "area" ? (
            <Area
              key={c}
              dataKey={c}
              name={c}
              stackId="stack"
              stroke={colors[i % colors.length]}
              fill={colors[i % colors.length]}
              fillOpacity={0.35}
              connectNulls={false}
              isAnimationActive={false}
            />
          ) : (
            <Line key={c} dataKey={c} name={c} stroke={colors[i % colors.length]} dot={false} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
          ),
        )}
      </Frame>
    </ResponsiveContainer>
  );
}

/** Lines over time. */
export function ChartLine(props: CartesianProps) {
  return <ChartXY kind="line" {...props} />;
}

/** Stacked areas over time (e.g. connections by state against max_connections). */
export function ChartArea(props: CartesianProps) {
  return <ChartXY kind="area" {...props} />;
}
