// Failed sign-in attempts per key (source address, user name) in a sliding window. In memory:
// one pgpulse process answers a team; with several processes the limit is per process, which
// still bounds guessing to a few attempts per minute per process. No server-only import: pure.

export interface FailureLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Bound on tracked keys, so a flood of distinct addresses cannot exhaust memory. */
  maxKeys?: number;
}

export interface FailureLimiter {
  /** Milliseconds until the key may try again; 0 when it may try now. */
  retryAfterMs(key: string, now: number): number;
  recordFailure(key: string, now: number): void;
  reset(key: string): void;
}

export function createFailureLimiter({ maxFailures, windowMs, maxKeys = 10_000 }: FailureLimiterOptions): FailureLimiter {
  const failures = new Map<string, number[]>();

  function recent(key: string, now: number): number[] {
    const kept = (failures.get(key) ?? []).filter((t) => now - t < windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  }

  return {
    retryAfterMs(key, now) {
      const times = recent(key, now);
      if (times.length < maxFailures) return 0;
      // Blocked until the oldest failure that keeps the count at the limit leaves the window.
      return times[times.length - maxFailures] + windowMs - now;
    },
    recordFailure(key, now) {
      const times = recent(key, now);
      times.push(now);
      failures.set(key, times);
      if (failures.size > maxKeys) {
        // Map iteration is insertion order: drop the oldest key.
        const oldest = failures.keys().next().value;
        if (oldest !== undefined) failures.delete(oldest);
      }
    },
    reset(key) {
      failures.delete(key);
    },
  };
}

const LOGIN = Symbol.for("pgpulse.loginLimiter");

/** The process-wide sign-in limiter: 5 failures per 5 minutes per address and per user. */
export function loginLimiter(): FailureLimiter {
  const g = globalThis as Record<symbol, FailureLimiter | undefined>;
  g[LOGIN] ??= createFailureLimiter({ maxFailures: 5, windowMs: 5 * 60_000 });
  return g[LOGIN];
}
