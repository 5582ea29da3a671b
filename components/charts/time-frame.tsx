"use client";

import { useId, useState, type ReactNode } from "react";
import { ChartTooltip, timeTick } from "./chart-parts";
import type { ChartRow } from "./join-series";
import { linearScale, timeAxisTicks, valueTicks, type Scale } from "./scales";
import { nearestIndex } from "./svg-paths";
import { useWidth } from "./use-width";

// The frame of a time-series chart in plain SVG: it fills its container's width, draws the grid,
// the time axis and the value axis (units from the value formatter), clips what it frames to the
// plot, and shows the values of the row nearest the pointer. Pointer only: it takes no tab stop,
// the panel around it says what it shows.

export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Frame {
  x: Scale;
  y: Scale;
  plot: Plot;
  /** For clip-path: what lies outside the y domain (above a fixed top) is cut at the frame. */
  clip: string;
}

export const LABEL_FONT = 11;
const MARGIN = { top: 8, right: 12, bottom: 24, left: 64 };
/** Px between time ticks: "12-05 14h" needs more room than "14:05". */
const TIME_TICK_SPACING = (rangeMs: number) => (rangeMs > 86_400_000 ? 110 : 80);
const TOOLTIP_WIDTH = 180;

export function TimeFrame({
  height,
  xDomain,
  yDomain,
  rangeMs,
  valueFormatter,
  rows,
  keys,
  labels,
  colors,
  children,
}: {
  height: number;
  xDomain: [number, number];
  yDomain: [number, number];
  rangeMs: number;
  valueFormatter: (v: number) => string;
  /** The rows and series the tooltip reads. */
  rows: readonly ChartRow[];
  keys: readonly string[];
  labels?: Record<string, string>;
  colors: readonly string[];
  children: (f: Frame) => ReactNode;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const [hover, setHover] = useState<number | null>(null);
  const clipId = `plot${useId().replace(/[^\w-]/g, "")}`;
  const plot: Plot = { left: MARGIN.left, top: MARGIN.top, width: Math.max(1, width - MARGIN.left - MARGIN.right), height: Math.max(1, height - MARGIN.top - MARGIN.bottom) };
  const bottom = plot.top + plot.height;
  const x = linearScale(xDomain, [plot.left, plot.left + plot.width]);
  const y = linearScale(yDomain, [bottom, plot.top]);
  const xTicks = timeAxisTicks(xDomain, Math.floor(plot.width / TIME_TICK_SPACING(rangeMs)));
  const yTicks = valueTicks(yDomain, Math.max(2, Math.floor(plot.height / 36)));
  const tick = timeTick(rangeMs);

  const onPointer = (e: React.PointerEvent<SVGRectElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const t = xDomain[0] + ((e.clientX - box.left) / box.width) * (xDomain[1] - xDomain[0]);
    const i = nearestIndex(rows, t);
    setHover(i < 0 ? null : i);
  };
  const row = hover !== null ? rows[hover] : undefined;
  const hx = row ? x(row.t) : 0;
  return (
    <div ref={ref} className="relative" style={{ height }}>
      {width > 0 ? (
        <svg width={width} height={height} className="block overflow-visible" data-chart="time">
          <defs>
            <clipPath id={clipId}>
              <rect x={plot.left} y={plot.top} width={plot.width} height={plot.height} />
            </clipPath>
          </defs>
          <g stroke="currentColor" strokeOpacity={0.25} strokeDasharray="3 3">
            {yTicks.map((v) => (
              <line key={`y${v}`} x1={plot.left} x2={plot.left + plot.width} y1={y(v)} y2={y(v)} />
            ))}
            {xTicks.map((t) => (
              <line key={`x${t}`} x1={x(t)} x2={x(t)} y1={plot.top} y2={bottom} />
            ))}
          </g>
          <g fontSize={LABEL_FONT} fill="currentColor" className="tabular">
            {yTicks.map((v) => (
              <text key={v} x={plot.left - 6} y={y(v)} textAnchor="end" dominantBaseline="middle">
                {valueFormatter(v)}
              </text>
            ))}
            {xTicks.map((t) => {
              const px = x(t);
              // The outermost labels stay inside the chart's width.
              const anchor = px - plot.left < 24 ? "start" : plot.left + plot.width - px < 24 ? "end" : "middle";
              return (
                <text key={t} x={px} y={bottom + 6} dy="0.71em" textAnchor={anchor}>
                  {tick(t)}
                </text>
              );
            })}
          </g>
          <path d={`M${plot.left},${plot.top}V${bottom}H${plot.left + plot.width}`} fill="none" stroke="currentColor" strokeOpacity={0.5} />
          {children({ x, y, plot, clip: `url(#${clipId})` })}
          {row ? <line x1={hx} x2={hx} y1={plot.top} y2={bottom} stroke="currentColor" strokeOpacity={0.4} /> : null}
          <rect
            x={plot.left}
            y={plot.top}
            width={plot.width}
            height={plot.height}
            fill="transparent"
            onPointerMove={onPointer}
            onPointerDown={onPointer}
            onPointerLeave={() => setHover(null)}
          />
        </svg>
      ) : null}
      {row ? (
        <div
          className="pointer-events-none absolute z-10"
          style={{ top: plot.top, width: TOOLTIP_WIDTH, left: hx + 12 + TOOLTIP_WIDTH > width ? Math.max(0, hx - 12 - TOOLTIP_WIDTH) : hx + 12 }}
          data-chart-tooltip=""
        >
          <ChartTooltip
            active
            label={row.t}
            valueFormatter={valueFormatter}
            labels={labels}
            payload={keys.map((k, i) => ({ dataKey: k, value: row[k], color: colors[i % colors.length] }))}
          />
        </div>
      ) : null}
    </div>
  );
}
