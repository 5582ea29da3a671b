"use client";

import { REFERENCE_COLOR, REFERENCE_SOFT_COLOR, SERIES_COLORS } from "@/components/ui/palette";
import type { ChartRow } from "./join-series";
import { alertWindowLayout, type AlertWindowLine } from "./alert-window-layout";
import { linePath, seriesRuns } from "./svg-paths";
import { LABEL_FONT, TimeFrame } from "./time-frame";

// One metric around an alert's episode with the rule's lines and the moment it fired. Labels
// are placed so they cannot overlap (alert-window-layout.ts): the upper line's label above it,
// the lower one's below it, both at the left; the "fired" label at the top beside its line.

const KEYS = ["value"];
/** Px between a label and its line. */
const GAP = 4;

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
  const runs = seriesRuns(data, "value");
  const values = runs.flat().map((p) => p.y1);
  const layout = alertWindowLayout({ values, lines, firedAt, xDomain, ceiling: yCeiling });
  const color = SERIES_COLORS[0];
  // A few samples (a statement caught once or twice) show as points, not an invisible line.
  const dots = values.length < 40;
  return (
    <TimeFrame height={height} xDomain={xDomain} yDomain={layout.yDomain} rangeMs={xDomain[1] - xDomain[0]} valueFormatter={valueFormatter} rows={data} keys={KEYS} labels={{ value: label }} colors={SERIES_COLORS}>
      {({ x, y, plot, clip }) => {
        const fx = x(firedAt);
        return (
          <>
            {layout.lines.map((l) => (
              <g key={l.label}>
                <line x1={plot.left} x2={plot.left + plot.width} y1={y(l.y)} y2={y(l.y)} stroke={l.kind === "threshold" ? REFERENCE_COLOR : REFERENCE_SOFT_COLOR} strokeDasharray="6 4" />
                <text className="alert-line-label" x={plot.left + GAP} y={l.side === "above" ? y(l.y) - GAP : y(l.y) + GAP} dominantBaseline={l.side === "above" ? "text-after-edge" : "text-before-edge"} fontSize={LABEL_FONT} fill="currentColor">
                  {l.label}
                </text>
              </g>
            ))}
            <line x1={fx} x2={fx} y1={plot.top} y2={plot.top + plot.height} stroke={REFERENCE_SOFT_COLOR} />
            <text className="alert-line-label" x={layout.firedLabelSide === "right" ? fx + GAP : fx - GAP} y={plot.top + GAP} dominantBaseline="text-before-edge" textAnchor={layout.firedLabelSide === "right" ? "start" : "end"} fontSize={LABEL_FONT} fill="currentColor">
              fired
            </text>
            <g clipPath={clip} data-series="value">
              {runs.map((run) =>
                run.length > 1 ? <path key={run[0].t} className="chart-line" d={linePath(run, x, y)} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" /> : null,
              )}
              {runs.flatMap((run) =>
                run.length === 1 || dots ? run.map((p) => <circle key={p.t} className="chart-dot" cx={x(p.t)} cy={y(p.y1)} r={2.5} fill={color} />) : [],
              )}
            </g>
          </>
        );
      }}
    </TimeFrame>
  );
}
