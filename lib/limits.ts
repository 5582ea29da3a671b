// Limits shared by the browser and the route handlers. The client uses them to build requests
// and pickers; the server clamps whatever arrives to the same numbers, so a hand-edited URL can
// never ask for more than the UI would.

/** Windows offered on the live page (short, recent, refreshed every few seconds). */
export const LIVE_WINDOWS = ["15m", "1h", "6h", "24h"] as const;
/** Ranges offered on the tables, queries and alerts pages. */
export const HISTORY_RANGES = ["1h", "6h", "24h", "7d", "30d"] as const;
export type RangeKey = (typeof LIVE_WINDOWS)[number] | (typeof HISTORY_RANGES)[number];

export const RANGE_MS: Record<RangeKey, number> = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

/** The longest range any endpoint answers (hourly rollups are kept at least 400 days). */
export const MAX_RANGE_MS = 400 * 86_400_000;
/** Points per series: enough for a wide chart, small enough to stay cheap to draw. */
export const MAX_SERIES_POINTS = 1_500;
export const TARGET_SERIES_POINTS = 240;
/** Below the fastest cadence a smaller step only produces empty buckets. */
export const MIN_STEP_SECONDS = 5;

/**
 * A sample older than this many cadences is stale. The cadence is the server's: each answer
 * carries its metric's (`cadenceMs`, from the definition or its PGPULSE_INTERVALS override).
 */
export const STALE_FACTOR = 2;

/** Browser refresh intervals. */
export const REFRESH_MS = {
  live: 5_000,
  charts: 15_000,
  overview: 15_000,
  alerts: 10_000,
  alertCount: 15_000,
  tables: 60_000,
} as const;

/** A query or transaction older than this is highlighted in the session table. */
export const HIGHLIGHT_AGE_MS = 1_000;

export const ALERT_COMMENT_MAX = 500;
export const SILENCE_REASON_MAX = 500;
export const SILENCE_MAX_MS = 30 * 86_400_000;
export const ALERT_LIST_MAX = 1_000;
export const SLOW_GROUPS_MAX = 500;
export const EXPLAIN_QUERY_MAX_CHARS = 100_000;
export const EXPLAIN_PARAMS_MAX = 100;
export const FILTER_TEXT_MAX = 200;

/**
 * A step that gives about TARGET_SERIES_POINTS buckets over the range, rounded to a readable
 * value, never below MIN_STEP_SECONDS and never producing more than MAX_SERIES_POINTS.
 */
export function stepSecondsFor(rangeMs: number): number {
  const nice = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400];
  const raw = rangeMs / 1000 / TARGET_SERIES_POINTS;
  const pick = nice.find((s) => s >= raw) ?? Math.ceil(raw / 86400) * 86400;
  return clampStepSeconds(pick, rangeMs);
}

/**
 * A series step no finer than its data, at most `spacingMs` apart (a metric's cadence with its
 * jitter, a rollup's bucket): a shorter bucket holds a sample or none, and the line falls apart
 * into lone points (the cache ratio, sampled every 15 s, in 5 s buckets). A step at or above the
 * spacing stays as asked; a finer one becomes the spacing in whole seconds.
 */
export function stepNoFinerThan(stepSeconds: number, spacingMs: number): number {
  return stepSeconds * 1000 >= spacingMs ? stepSeconds : Math.ceil(spacingMs / 1000);
}

/** The server's clamp for a requested step. */
export function clampStepSeconds(step: number, rangeMs: number): number {
  const minForPoints = Math.ceil(rangeMs / 1000 / MAX_SERIES_POINTS);
  return Math.max(MIN_STEP_SECONDS, minForPoints, Math.round(step));
}
