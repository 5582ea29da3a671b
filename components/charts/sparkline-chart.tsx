"use client";

import { Line, LineChart, ReferenceLine, YAxis } from "recharts";
import { REFERENCE_COLOR } from "@/components/ui/palette";
import type { ChartRow } from "./join-series";

/** The drawn part of a sparkline (loaded with the chart bundle). */
export function SparklineChart({ data, width, height, reference }: { data: ChartRow[]; width: number; height: number; reference?: number }) {
  return (
    <LineChart accessibilityLayer={false} width={width} height={height} data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
      <YAxis hide domain={["dataMin", "dataMax"]} />
      {reference !== undefined ? <ReferenceLine y={reference} stroke={REFERENCE_COLOR} strokeDasharray="2 2" ifOverflow="extendDomain" /> : null}
      <Line dataKey="v" stroke="#2563eb" dot={false} strokeWidth={1.25} connectNulls={false} isAnimationActive={false} />
    </LineChart>
  );
}
