import { STALE_FACTOR } from "@/lib/limits";

// What a panel is showing, decided in one place so every panel draws loading, no data yet,
// stale and failed the same way. A real 0 is "ready": only the absence of data is "empty".

export type PanelState = "loading" | "empty" | "ready" | "stale" | "error";

export interface PanelStateInput {
  isPending: boolean;
  /** The last fetch failed (with or without older data in hand). */
  error: Error | null;
  /** Data in hand that contains something to draw. */
  hasData: boolean;
  /** When the data was sampled (not fetched): the collector's time. */
  takenAt: string | null;
  cadenceMs: number;
  /**
   * Extra age tolerated on top of 2× cadence: the browser's own polling interval, since data
   * fetched fresh ages on screen until the next poll.
   */
  slackMs?: number;
  now: number;
}

export function panelState(i: PanelStateInput): PanelState {
  if (i.isPending && !i.error) return "loading";
  if (i.error && !i.hasData) return "error";
  if (!i.hasData) return "empty";
  // Data in hand but the refresh fails: what is shown is getting old, say so.
  if (i.error) return "stale";
  if (i.takenAt !== null && isStale(i.takenAt, i.cadenceMs, i.now, i.slackMs)) return "stale";
  return "ready";
}

export function isStale(takenAt: string, cadenceMs: number, now: number, slackMs = 0): boolean {
  const at = staleAfter(takenAt, cadenceMs, slackMs);
  return at !== null && now > at;
}

/** The last moment (epoch ms) a sample still counts as fresh; null when its time is unreadable. */
export function staleAfter(takenAt: string, cadenceMs: number, slackMs = 0): number | null {
  const t = Date.parse(takenAt);
  return Number.isNaN(t) ? null : t + STALE_FACTOR * cadenceMs + slackMs;
}

/** The newest timestamp carrying a real value, for series whose freshness is their last point. */
export function lastValueAt(points: ReadonlyArray<readonly [string, number | null]>): string | null {
  for (let i = points.length - 1; i >= 0; i--) if (points[i][1] !== null) return points[i][0];
  return null;
}

/** The newest real value among series drawn together: the freshness of the whole chart. */
export function newestValueAt(series: ReadonlyArray<ReadonlyArray<readonly [string, number | null]> | undefined>): string | null {
  return (
    series
      .map((points) => (points ? lastValueAt(points) : null))
      .filter((t): t is string => t !== null)
      .sort()
      .at(-1) ?? null
  );
}

/**
 * The cadence a chart is judged by, from its series' answers (each carries its metric's cadence):
 * a bucket is stamped at its start, so a fresh value can be one step plus one cadence old, and
 * series drawn together wait for the slowest. No answer yet: no sample to age.
 */
export function chartCadenceMs(stepSeconds: number, answers: ReadonlyArray<{ cadenceMs: number } | undefined>): number {
  return stepSeconds * 1000 + Math.max(0, ...answers.map((a) => a?.cadenceMs ?? 0));
}

/** A chart panel is "ready" only once the chart code is loaded and the points are drawn. */
export function drawnState(s: PanelState, chartsLoaded: boolean): PanelState {
  return chartsLoaded || (s !== "ready" && s !== "stale") ? s : "loading";
}
