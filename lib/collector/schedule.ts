// Pure scheduling pieces of the collector, kept apart so they can be tested without timers.

/** A floor so a misconfigured interval cannot turn the poller into a busy loop. */
export const MIN_INTERVAL_MS = 100;

/**
 * The cadence a task really runs at: its override (PGPULSE_INTERVALS, tests) or its own interval,
 * never below the floor. The collector schedules by it and the pages judge freshness by it.
 */
export function effectiveIntervalMs(id: string, ownMs: number, overrides?: Readonly<Record<string, number>>): number {
  return Math.max(MIN_INTERVAL_MS, overrides?.[id] ?? ownMs);
}

/** How far a tick may land from its interval, either way. */
export const JITTER_SPREAD = 0.1;

/** The interval spread by ±spread (10 %), so targets and tasks do not poll in lockstep. */
export function jitter(intervalMs: number, rand: () => number = Math.random, spread = JITTER_SPREAD): number {
  return Math.round(intervalMs * (1 - spread + 2 * spread * rand()));
}

/** The longest time between two samples of a task that runs on time: its interval, stretched by the jitter. */
export function longestTickGapMs(intervalMs: number): number {
  return Math.ceil(intervalMs * (1 + JITTER_SPREAD));
}

/** Retry delay after `attempt` consecutive failures (0-based): doubling from baseMs, capped. */
export function backoffMs(attempt: number, capMs: number, baseMs = 500): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
}

/**
 * At most one run at a time: a run requested while one is in flight is refused and counted as
 * an overrun (a tick is skipped, never queued, so a slow query cannot pile up work).
 */
export interface SingleFlight<T> {
  /** Starts fn unless a run is in flight; returns its promise, or null when skipped. */
  tryRun(fn: () => Promise<T>): Promise<T> | null;
  /** The run in flight, if any. */
  current(): Promise<T> | null;
  readonly overruns: number;
}

export function createSingleFlight<T>(): SingleFlight<T> {
  let inFlight: Promise<T> | null = null;
  let overruns = 0;
  return {
    tryRun(fn) {
      if (inFlight) {
        overruns++;
        return null;
      }
      const p = fn().finally(() => {
        inFlight = null;
      });
      inFlight = p;
      return p;
    },
    current: () => inFlight,
    get overruns() {
      return overruns;
    },
  };
}
