"use client";

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { REFERENCE_COLOR, REFERENCE_SOFT_COLOR, SERIES_COLORS } from "@/components/ui/palette";
import { AXIS_TICK, ChartTooltip, timeTick, type CartesianProps } from "./chart-parts";

// Series over time on one frame: time axis, grid, tooltip, legend, thresholds as reference
// lines. A null is a gap (connectNulls off), never drawn as 0; a value with gaps on both sides
// (a sparse event: a slow statement seen once an hour) is drawn as a dot, since a line needs two
// neighbours and would leave the chart looking empty.

type Row = Record<string, unknown>;
const present = (row: Row | undefined, key: string) => row !== undefined && row[key] !== null && row[key] !== undefined;

/** Recharts' dot renderer: a dot only where the value stands alone between gaps. */
export function loneDot(data: readonly Row[], key: string, color: string) {
  function LoneDot(p: { index?: number; cx?: number | null; cy?: number | null; key?: React.Key | null }) {
    const i = p.index ?? -1;
    const lone = present(data[i], key) && !present(data[i - 1], key) && !present(data[i + 1], key);
    const reactKey = p.key ?? undefined;
    return lone && typeof p.cx === "number" && typeof p.cy === "number" ? <circle key={reactKey} cx={p.cx} cy={p.cy} r={2.5} fill={color} /> : <g key={reactKey} />;
  }
  return LoneDot;
}

/**
 * Labels of lines drawn close together (max_connections 100, usable 97) must not print on each
 * other: from the highest line down, labels go alternately above and below their line.
 */
function labelPositions(refs: ReadonlyArray<{ y: number }>): Map<number, "insideTopRight" | "insideBottomRight"> {
  const order = refs.map((r, i) => ({ y: r.y, i })).sort((a, b) => b.y - a.y);
  return new Map(order.map((o, rank) => [o.i, rank % 2 === 0 ? "insideTopRight" : "insideBottomRight"]));
}

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
  const positions = labelPositions(references);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <Frame accessibilityLayer={false} data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
        <XAxis dataKey={index} type="number" scale="time" domain={xDomain ?? ["dataMin", "dataMax"]} tickFormatter={timeTick(rangeMs)} tick={AXIS_TICK} minTickGap={40} />
        <YAxis domain={yDomain} tickFormatter={(v: number) => valueFormatter(v)} tick={AXIS_TICK} width={64} allowDataOverflow={fixedTop} />
        <Tooltip content={<ChartTooltip valueFormatter={valueFormatter} labels={labels} />} />
        {categories.length > 1 ? <Legend formatter={(v: string) => labels?.[v] ?? v} wrapperStyle={{ fontSize: 12 }} /> : null}
        {references.map((r, i) => (
          <ReferenceLine
            key={`${r.label}-${r.y}`}
            y={r.y}
            stroke={r.kind === "context" ? REFERENCE_SOFT_COLOR : REFERENCE_COLOR}
            strokeDasharray="6 4"
            ifOverflow="extendDomain"
            label={{ value: r.label, position: positions.get(i), fontSize: 11, fill: "currentColor" }}
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
              dot={loneDot(data, c, colors[i % colors.length])}
              connectNulls={false}
              isAnimationActive={false}
            />
          ) : (
            <Line key={c} dataKey={c} name={c} stroke={colors[i % colors.length]} dot={loneDot(data, c, colors[i % colors.length])} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
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
