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
  const t = Date.parse(takenAt);
  return !Number.isNaN(t) && now - t > STALE_FACTOR * cadenceMs + slackMs;
}

/** The newest timestamp carrying a real value, for series whose freshness is their last point. */
export function lastValueAt(points: ReadonlyArray<readonly [string, number | null]>): string | null {
  for (let i = points.length - 1; i >= 0; i--) if (points[i][1] !== null) return points[i][0];
  return null;
}

/** A chart panel is "ready" only once the chart code is loaded and the points are drawn. */
export function drawnState(s: PanelState, chartsLoaded: boolean): PanelState {
  return chartsLoaded || (s !== "ready" && s !== "stale") ? s : "loading";
}
