"use client";

import { formatDateTime, formatTick } from "@/lib/format/time";
import type { ChartRow } from "./join-series";

// Shared pieces of the charts (over time and in bars): time axis tick labels, the tooltip body,
// reference lines, the props of a chart over time.

export interface Reference {
  y: number;
  label: string;
  /** "limit" draws red and dashed (a threshold); "context" grey (pool size, max). */
  kind?: "limit" | "context";
}

export function timeTick(rangeMs: number) {
  return (t: number) => formatTick(new Date(t).toISOString(), rangeMs);
}

export function ChartTooltip({
  active,
  payload,
  label,
  valueFormatter,
  labels,
}: {
  active?: boolean;
  payload?: ReadonlyArray<{ dataKey?: unknown; value?: unknown; color?: string }>;
  label?: unknown;
  valueFormatter: (v: number) => string;
  labels?: Record<string, string>;
}) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded border border-slate-300 bg-white px-2 py-1 text-xs shadow dark:border-slate-600 dark:bg-slate-900">
      <div className="mb-1 font-medium tabular">{typeof label === "number" ? formatDateTime(new Date(label).toISOString()) : String(label)}</div>
      {payload.map((p) => {
        const key = String(p.dataKey);
        const v = typeof p.value === "number" ? p.value : null;
        return (
          <div key={key} className="flex items-center gap-2 tabular">
            <span className="inline-block h-2 w-2 rounded-full" style={{ background: p.color }} />
            <span>{labels?.[key] ?? key}</span>
            <span className="ml-auto font-medium" title={v === null ? "no data" : String(v)}>
              {v === null ? "no data" : valueFormatter(v)}
            </span>
          </div>
        );
      })}
    </div>
  );
}

export type YBound = number | "auto" | "dataMin" | "dataMax" | ((v: number) => number);

export interface CartesianProps {
  data: ChartRow[];
  /** The x key; rows from joinSeries use "t" (epoch ms). */
  index?: "t";
  categories: string[];
  labels?: Record<string, string>;
  valueFormatter: (v: number) => string;
  references?: Reference[];
  /** The window drawn on the x axis, so an empty stretch shows as empty, not squeezed away. */
  xDomain?: [number, number];
  /** Numbers (kept as given), "auto" (widened to a round number), "dataMin"/"dataMax", or functions of the data's min/max (scales.ts). */
  yDomain?: [YBound, YBound];
  rangeMs: number;
  height?: number;
  colors?: string[];
}
