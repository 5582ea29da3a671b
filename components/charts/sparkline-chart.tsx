"use client";

import { REFERENCE_COLOR } from "@/components/ui/palette";
import type { ChartRow } from "./join-series";
import { linearScale, yDomainOf } from "./scales";
import { linePath, seriesRuns } from "./svg-paths";

/** Px kept free around the line, so its stroke is not cut at the edges. */
const PAD = 2;

/** The drawn part of a sparkline (loaded with the chart bundle): data min to max, the reference always in view. */
export function SparklineChart({ data, width, height, reference }: { data: ChartRow[]; width: number; height: number; reference?: number }) {
  const runs = seriesRuns(data, "v");
  const values = runs.flat().map((p) => p.y1);
  const x = linearScale(data.length ? [data[0].t, data[data.length - 1].t] : [0, 1], [PAD, width - PAD]);
  const y = linearScale(yDomainOf(["dataMin", "dataMax"], reference === undefined ? values : [...values, reference]), [height - PAD, PAD]);
  return (
    <svg width={width} height={height} className="block" aria-hidden="true">
      {reference !== undefined ? <line x1={PAD} x2={width - PAD} y1={y(reference)} y2={y(reference)} stroke={REFERENCE_COLOR} strokeDasharray="2 2" /> : null}
      {runs.map((run) =>
        run.length === 1 ? (
          <circle key={run[0].t} className="chart-dot" cx={x(run[0].t)} cy={y(run[0].y1)} r={1.5} fill="#2563eb" />
        ) : (
          <path key={run[0].t} className="chart-line" d={linePath(run, x, y)} fill="none" stroke="#2563eb" strokeWidth={1.25} strokeLinejoin="round" />
        ),
      )}
    </svg>
  );
}
