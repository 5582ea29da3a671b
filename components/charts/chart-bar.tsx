"use client";

import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { REFERENCE_COLOR, SERIES_COLORS } from "@/components/ui/palette";
import { AXIS_TICK, ChartTooltip, type Reference } from "./chart-parts";

/**
 * A threshold's label sits just above its line, at the right end. Labels are drawn above the
 * bars; the backing keeps the text readable where a bar reaches past the line.
 */
const REFERENCE_LABEL = {
  fontSize: 11,
  fill: REFERENCE_COLOR,
  background: { className: "fill-white/90 dark:fill-slate-900/90", rx: 2, padding: 2 },
} as const;

/** Bars by category (rule, table…); a missing value is no bar, not a zero bar. */
type BarRow = Record<string, string | number | null>;

export function ChartBar({
  data,
  index,
  categories,
  labels,
  valueFormatter,
  references = [],
  height = 200,
  layout = "horizontal",
}: {
  data: BarRow[];
  index: string;
  categories: string[];
  labels?: Record<string, string>;
  valueFormatter: (v: number) => string;
  references?: Reference[];
  height?: number;
  layout?: "horizontal" | "vertical";
}) {
  const vertical = layout === "vertical";
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart accessibilityLayer={false} data={data} layout={layout} margin={{ top: 16, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
        {vertical ? (
          <>
            <XAxis type="number" tickFormatter={(v: number) => valueFormatter(v)} tick={AXIS_TICK} />
            <YAxis type="category" dataKey={index} tick={AXIS_TICK} width={140} />
          </>
        ) : (
          <>
            <XAxis type="category" dataKey={index} tick={AXIS_TICK} />
            <YAxis type="number" tickFormatter={(v: number) => valueFormatter(v)} tick={AXIS_TICK} width={64} />
          </>
        )}
        <Tooltip content={<ChartTooltip valueFormatter={valueFormatter} labels={labels} />} />
        {references.map((r) =>
          vertical ? (
            <ReferenceLine key={r.label} x={r.y} stroke={REFERENCE_COLOR} strokeDasharray="6 4" label={{ ...REFERENCE_LABEL, value: r.label, position: "insideTopRight" }} />
          ) : (
            <ReferenceLine key={r.label} y={r.y} stroke={REFERENCE_COLOR} strokeDasharray="6 4" label={{ ...REFERENCE_LABEL, value: r.label, position: "insideBottomRight" }} />
          ),
        )}
        {categories.map((c, i) => (
          <Bar key={c} dataKey={c} name={c} fill={SERIES_COLORS[i % SERIES_COLORS.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
