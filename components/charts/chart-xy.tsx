"use client";

import { REFERENCE_COLOR, REFERENCE_SOFT_COLOR, SERIES_COLORS } from "@/components/ui/palette";
import type { CartesianProps } from "./chart-parts";
import { CHART_HEIGHT } from "./chart-height";
import { yDomainOf } from "./scales";
import { areaPath, linePath, referenceLabelTops, seriesRuns, stackedRuns, stackTops, type Pt } from "./svg-paths";
import { LABEL_FONT, TimeFrame, type Frame } from "./time-frame";

// Series over time on one frame: time axis, grid, tooltip, legend, thresholds as reference
// lines. A null is a gap, never drawn as 0; a value with gaps on both sides (a sparse event: a
// slow statement seen once an hour) is drawn as a dot, since a line needs two neighbours and
// would leave the chart looking empty.

const LEGEND_HEIGHT = 24;

export function ChartXY({
  kind,
  data,
  categories,
  labels,
  valueFormatter,
  references = [],
  xDomain,
  yDomain = [0, "auto"],
  rangeMs,
  height = CHART_HEIGHT,
  colors = SERIES_COLORS,
}: CartesianProps & { kind: "line" | "area" }) {
  const runs = kind === "area" ? stackedRuns(data, categories) : categories.map((c) => seriesRuns(data, c));
  const values = kind === "area" ? stackTops(data, categories) : runs.flat(2).map((p) => p.y1);
  // Reference lines widen an automatic domain so they are always in view.
  const y = yDomainOf(yDomain, [...values, ...references.map((r) => r.y)]);
  const x: [number, number] = xDomain ?? (data.length ? [data[0].t, data[data.length - 1].t] : [0, 1]);
  const legend = categories.length > 1;
  const color = (i: number) => colors[i % colors.length];
  return (
    <div data-chart-kind={kind}>
      <TimeFrame
        height={legend ? height - LEGEND_HEIGHT : height}
        xDomain={x}
        yDomain={y}
        rangeMs={rangeMs}
        valueFormatter={valueFormatter}
        rows={data}
        keys={categories}
        labels={labels}
        colors={colors}
      >
        {(f) => (
          <>
            <g clipPath={f.clip}>
              {runs.map((series, i) => (
                <Series key={categories[i]} name={categories[i]} runs={series} kind={kind} color={color(i)} frame={f} />
              ))}
            </g>
            <References references={references} frame={f} />
          </>
        )}
      </TimeFrame>
      {legend ? (
        <ul className="flex flex-wrap justify-center gap-x-4 text-xs" style={{ height: LEGEND_HEIGHT }} data-chart-legend="">
          {categories.map((c, i) => (
            <li key={c} className="flex items-center gap-1">
              <span className="inline-block h-2 w-3" style={{ background: color(i) }} />
              {labels?.[c] ?? c}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Series({ name, runs, kind, color, frame: { x, y } }: { name: string; runs: Pt[][]; kind: "line" | "area"; color: string; frame: Frame }) {
  return (
    <g data-series={name}>
      {runs.map((run) =>
        run.length === 1 ? (
          <circle key={run[0].t} className="chart-dot" cx={x(run[0].t)} cy={y(run[0].y1)} r={2.5} fill={color} />
        ) : (
          <g key={run[0].t}>
            {kind === "area" ? <path className="chart-area" d={areaPath(run, x, y)} fill={color} fillOpacity={0.35} stroke="none" /> : null}
            <path className="chart-line" d={linePath(run, x, y)} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" />
          </g>
        ),
      )}
    </g>
  );
}

/** Thresholds (red, dashed) and context lines (grey), labelled at the right end. */
function References({ references, frame: { y, plot } }: { references: CartesianProps["references"]; frame: Frame }) {
  const refs = references ?? [];
  const tops = referenceLabelTops(
    refs.map((r) => y(r.y)),
    0,
    LABEL_FONT + 2,
  );
  const right = plot.left + plot.width - 4;
  return (
    <g data-chart-references="">
      {refs.map((r, i) => (
        <g key={`${r.label}-${r.y}`}>
          <line x1={plot.left} x2={plot.left + plot.width} y1={y(r.y)} y2={y(r.y)} stroke={r.kind === "context" ? REFERENCE_SOFT_COLOR : REFERENCE_COLOR} strokeDasharray="6 4" />
          <text className="chart-reference-label" x={right} y={tops[i]} dy="0.85em" textAnchor="end" fontSize={LABEL_FONT} fill="currentColor">
            {r.label}
          </text>
        </g>
      ))}
    </g>
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
