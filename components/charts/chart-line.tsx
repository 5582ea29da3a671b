"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { REFERENCE_COLOR, REFERENCE_SOFT_COLOR, SERIES_COLORS } from "@/components/ui/palette";
import { AXIS_TICK, ChartTooltip, timeTick, type CartesianProps } from "./chart-parts";

/** Lines over time. null values are gaps (connectNulls off); thresholds are reference lines. */
export function ChartLine({
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
}: CartesianProps) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
        <XAxis dataKey={index} type="number" scale="time" domain={xDomain ?? ["dataMin", "dataMax"]} tickFormatter={timeTick(rangeMs)} tick={AXIS_TICK} minTickGap={40} />
        <YAxis domain={yDomain} tickFormatter={(v: number) => valueFormatter(v)} tick={AXIS_TICK} width={64} allowDataOverflow={typeof yDomain[1] === "number" && yDomain[1] !== 0} />
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
        {categories.map((c, i) => (
          <Line key={c} dataKey={c} name={c} stroke={colors[i % colors.length]} dot={false} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
