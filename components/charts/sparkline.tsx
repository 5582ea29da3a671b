"use client";

import { Line, LineChart, ReferenceLine, YAxis } from "recharts";
import type { Point } from "@/lib/api/common";
import { REFERENCE_COLOR } from "@/components/ui/palette";
import { hasValues, joinSeries } from "./join-series";

/** A word-sized trend line. Gaps stay gaps; with no real value it says so instead of a flat 0. */
export function Sparkline({
  points,
  width = 96,
  height = 24,
  reference,
  label,
  testId,
}: {
  points: readonly Point[];
  width?: number;
  height?: number;
  reference?: number;
  label: string;
  testId?: string;
}) {
  const data = joinSeries({ v: points });
  const ready = hasValues(data, ["v"]);
  if (!ready)
    return (
      <span data-testid={testId} data-state="empty" className="inline-block text-xs text-slate-400" style={{ width }}>
        no data
      </span>
    );
  return (
    <span data-testid={testId} data-state="ready" role="img" aria-label={label} className="inline-block align-middle">
      <LineChart width={width} height={height} data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
        <YAxis hide domain={["dataMin", "dataMax"]} />
        {reference !== undefined ? <ReferenceLine y={reference} stroke={REFERENCE_COLOR} strokeDasharray="2 2" ifOverflow="extendDomain" /> : null}
        <Line dataKey="v" stroke="#2563eb" dot={false} strokeWidth={1.25} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </span>
  );
}
