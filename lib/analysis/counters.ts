// Rates and ratios from cumulative counters. Lifetime values hide the present, so every figure
// comes from deltas between consecutive samples over the real elapsed time. An interval in which
// a counter went down, or the stats_reset marker changed, is a reset: a gap, never a spike.

export interface CounterSample {
  /** Sample time, epoch milliseconds. */
  ts: number;
  value: number | null;
  /** pg_stat_database.stats_reset (epoch seconds) or similar; a change means a reset. */
  reset?: number | null;
}

/** The increase between two samples, or null when it cannot be known (missing value, reset). */
export function counterDelta(prev: CounterSample, curr: CounterSample): number | null {
  if (prev.value === null || curr.value === null) return null;
  if (curr.ts <= prev.ts) return null;
  if ((prev.reset ?? null) !== (curr.reset ?? null)) return null;
  const delta = curr.value - prev.value;
  return delta < 0 ? null : delta;
}

/** Per-second rate for each interval, stamped at the interval's end; null marks a gap. */
export function perSecondRates(samples: CounterSample[]): Array<[number, number | null]> {
  const out: Array<[number, number | null]> = [];
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1];
    const curr = samples[i];
    const delta = counterDelta(prev, curr);
    out.push([curr.ts, delta === null ? null : delta / ((curr.ts - prev.ts) / 1000)]);
  }
  return out;
}

export interface WindowDelta {
  /** Sum of the known deltas; null when no interval in the window is usable. */
  delta: number | null;
  /** Elapsed time covered by the usable intervals, in ms. */
  elapsedMs: number;
  /** Intervals skipped because of a reset or a missing value. */
  gaps: number;
}

/** Sums deltas over consecutive samples (sorted by ts), skipping reset intervals. */
export function windowDelta(samples: CounterSample[]): WindowDelta {
  let delta: number | null = null;
  let elapsedMs = 0;
  let gaps = 0;
  for (let i = 1; i < samples.length; i++) {
    const d = counterDelta(samples[i - 1], samples[i]);
    if (d === null) {
      gaps++;
      continue;
    }
    delta = (delta ?? 0) + d;
    elapsedMs += samples[i].ts - samples[i - 1].ts;
  }
  return { delta, elapsedMs, gaps };
}

/**
 * Cache hit ratio (0–1) from block deltas. With few block accesses the ratio is noise, so it is
 * null below `minAccesses` (PG-FACTS: require a floor, e.g. 1,000 accesses).
 */
export function hitRatio(hitDelta: number | null, readDelta: number | null, minAccesses = 1000): number | null {
  if (hitDelta === null || readDelta === null) return null;
  const total = hitDelta + readDelta;
  if (total <= 0 || total < minAccesses) return null;
  return hitDelta / total;
}

/**
 * Hit ratio over one window from paired samples of blks_hit and blks_read taken together.
 * Intervals where either counter reset are left out of both sums.
 */
export function windowHitRatio(
  samples: Array<{ ts: number; hit: number | null; read: number | null; reset?: number | null }>,
  minAccesses = 1000,
): { ratio: number | null; accesses: number; gaps: number } {
  let hit = 0;
  let read = 0;
  let gaps = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const dh = counterDelta({ ts: a.ts, value: a.hit, reset: a.reset }, { ts: b.ts, value: b.hit, reset: b.reset });
    const dr = counterDelta({ ts: a.ts, value: a.read, reset: a.reset }, { ts: b.ts, value: b.read, reset: b.reset });
    if (dh === null || dr === null) {
      gaps++;
      continue;
    }
    hit += dh;
    read += dr;
  }
  return { ratio: hitRatio(hit, read, minAccesses), accesses: hit + read, gaps };
}

/**
 * Per-second rate over a window of counter samples: the summed deltas over the elapsed time of
 * the usable intervals. Null with fewer than two samples or when every interval is a reset:
 * unknown, never 0.
 */
export function windowRate(samples: CounterSample[]): number | null {
  const w = windowDelta(samples);
  return w.delta === null || w.elapsedMs <= 0 ? null : w.delta / (w.elapsedMs / 1000);
}
