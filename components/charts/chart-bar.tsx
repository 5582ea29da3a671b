"use client";

import { useState } from "react";
import { REFERENCE_COLOR, SERIES_COLORS } from "@/components/ui/palette";
import { bandIndexAt, barRects, bands } from "./bar-layout";
import { ChartTooltip, type Reference } from "./chart-parts";
import { CHART_HEIGHT } from "./chart-height";
import { linearScale, valueTicks, yDomainOf } from "./scales";
import { referenceLabelTops } from "./svg-paths";
import { LABEL_FONT } from "./time-frame";
import { useWidth } from "./use-width";

// Grouped bars by category (a weekday) in plain SVG: the i-th series in SERIES_COLORS[i], value
// axis with the formatter's units, thresholds as dashed lines whose label sits above the bars,
// and the values of the group under the pointer. Pointer only: no tab stop, the legend and the
// figures around the chart say what it shows.

/** A row: its category label under `index`, a value (or null: no bar) per series. */
type BarRow = Record<string, string | number | null>;

// Room above the plot for a threshold's label near the top.
const MARGIN = { top: 16, right: 12, bottom: 24, left: 64 };
const TOOLTIP_WIDTH = 180;

export function ChartBar({
  data,
  index,
  categories,
  labels,
  valueFormatter,
  references = [],
  height = CHART_HEIGHT,
}: {
  data: BarRow[];
  index: string;
  categories: string[];
  labels?: Record<string, string>;
  valueFormatter: (v: number) => string;
  references?: Reference[];
  height?: number;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const [hover, setHover] = useState<number | null>(null);
  const plot = { left: MARGIN.left, top: MARGIN.top, width: Math.max(1, width - MARGIN.left - MARGIN.right), height: Math.max(1, height - MARGIN.top - MARGIN.bottom) };
  const right = plot.left + plot.width;
  const bottom = plot.top + plot.height;
  const values = data.flatMap((row) => categories.map((c) => row[c])).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  // Bars stand on zero, and a threshold is always in view.
  const yDomain = yDomainOf(["auto", "auto"], [0, ...values, ...references.map((r) => r.y)]);
  const y = linearScale(yDomain, [bottom, plot.top]);
  const groups = bands(data.length, [plot.left, right]);
  const rects = barRects(data, categories, groups, y);
  const yTicks = valueTicks(yDomain, Math.max(2, Math.floor(plot.height / 36)));
  const labelTops = referenceLabelTops(
    references.map((r) => y(r.y)),
    0,
    LABEL_FONT + 2,
  );
  const color = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length];

  const onPointer = (e: React.PointerEvent<SVGRectElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const i = bandIndexAt(data.length, [plot.left, right], plot.left + ((e.clientX - box.left) / box.width) * plot.width);
    setHover(i < 0 ? null : i);
  };
  const row = hover !== null ? data[hover] : undefined;
  const band = hover !== null ? groups[hover] : undefined;
  return (
    <div ref={ref} className="relative" style={{ height }}>
      {width > 0 ? (
        <svg width={width} height={height} className="block overflow-visible" data-chart="bar">
          <g stroke="currentColor" strokeOpacity={0.25} strokeDasharray="3 3">
            {yTicks.map((v) => (
              <line key={v} x1={plot.left} x2={right} y1={y(v)} y2={y(v)} />
            ))}
          </g>
          {band ? <rect x={band.x - 4} y={plot.top} width={band.width + 8} height={plot.height} fill="currentColor" fillOpacity={0.08} /> : null}
          <g fontSize={LABEL_FONT} fill="currentColor" className="tabular">
            {yTicks.map((v) => (
              <text key={v} x={plot.left - 6} y={y(v)} textAnchor="end" dominantBaseline="middle">
                {valueFormatter(v)}
              </text>
            ))}
            {groups.map((g, i) => (
              <text key={i} x={g.center} y={bottom + 6} dy="0.71em" textAnchor="middle">
                {String(data[i][index])}
              </text>
            ))}
          </g>
          <path d={`M${plot.left},${plot.top}V${bottom}H${right}`} fill="none" stroke="currentColor" strokeOpacity={0.5} />
          <g>
            {rects.map((b) => (
              <rect key={`${b.row}-${b.category}`} className="chart-bar" data-series={b.category} data-value={b.value} x={b.x} y={b.y} width={b.width} height={b.height} fill={color(b.series)} />
            ))}
          </g>
          {/* After the bars, with a halo in the page's background: a label stays readable where a bar reaches past its line. */}
          <g data-chart-references="">
            {references.map((r, i) => (
              <g key={`${r.label}-${r.y}`}>
                <line x1={plot.left} x2={right} y1={y(r.y)} y2={y(r.y)} stroke={REFERENCE_COLOR} strokeDasharray="6 4" />
                <text
                  className="chart-reference-label stroke-white dark:stroke-slate-900"
                  x={right - 4}
                  y={labelTops[i]}
                  dy="0.85em"
                  textAnchor="end"
                  fontSize={LABEL_FONT}
                  fill={REFERENCE_COLOR}
                  strokeWidth={3}
                  paintOrder="stroke"
                >
                  {r.label}
                </text>
              </g>
            ))}
          </g>
          <rect x={plot.left} y={plot.top} width={plot.width} height={plot.height} fill="transparent" onPointerMove={onPointer} onPointerDown={onPointer} onPointerLeave={() => setHover(null)} />
        </svg>
      ) : null}
      {row && band ? (
        <div
          className="pointer-events-none absolute z-10"
          style={{ top: plot.top, width: TOOLTIP_WIDTH, left: band.x + band.width + 8 + TOOLTIP_WIDTH > width ? Math.max(0, band.x - 8 - TOOLTIP_WIDTH) : band.x + band.width + 8 }}
          data-chart-tooltip=""
        >
          <ChartTooltip active label={row[index]} valueFormatter={valueFormatter} labels={labels} payload={categories.map((c, i) => ({ dataKey: c, value: row[c], color: color(i) }))} />
        </div>
      ) : null}
    </div>
  );
}
