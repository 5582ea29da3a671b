"use client";

import type { Point } from "@/lib/api/common";
import { hasValues, joinSeries } from "./join-series";
import { useChartsInView } from "./use-charts";

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
  const [slot, charts] = useChartsInView<HTMLSpanElement>();
  const data = joinSeries({ v: points });
  if (!hasValues(data, ["v"]))
    return (
      <span data-testid={testId} data-state="empty" className="inline-block text-xs text-slate-500 dark:text-slate-400" style={{ width }}>
        no data
      </span>
    );
  return (
    <span ref={slot} data-testid={testId} data-state={charts ? "ready" : "loading"} role="img" aria-label={label} className="inline-block align-middle" style={{ width, height }}>
      {charts ? <charts.SparklineChart data={data} width={width} height={height} reference={reference} /> : null}
    </span>
  );
}
