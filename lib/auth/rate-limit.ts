// Attempts per key (source address, user name) in a sliding window. In memory: one pgpulse
// process answers a team; with several processes the limit is per process, which still bounds
// guessing to a few attempts per minute per process. No server-only import: pure.

import { processWide } from "@/lib/process-wide";

export interface FailureLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Bound on tracked keys, so a flood of distinct addresses cannot exhaust memory. */
  maxKeys?: number;
}

export type Reservation = { ok: true } | { ok: false; retryAfterMs: number };

export interface FailureLimiter {
  /** Milliseconds until the key may try again; 0 when it may try now. */
  retryAfterMs(key: string, now: number): number;
  /**
   * Counts one attempt for every key at once, before the attempt is checked, or refuses when
   * any key is at its limit (then nothing is counted). Check-then-record would let attempts
   * that run in parallel all pass the check before the first failure is recorded.
   */
  tryReserve(keys: readonly string[], now: number): Reservation;
  /** Takes back the attempt reserved at `at` (a success that should not count against the key). */
  release(key: string, at: number): void;
  recordFailure(key: string, now: number): void;
  reset(key: string): void;
}

export function createFailureLimiter({ maxFailures, windowMs, maxKeys = 10_000 }: FailureLimiterOptions): FailureLimiter {
  const attempts = new Map<string, number[]>();
  // No entry can expire before this time, so a full table need not be swept again until then.
  let nextExpiry = -Infinity;

  function recent(key: string, now: number): number[] {
    const kept = (attempts.get(key) ?? []).filter((t) => now - t < windowMs);
    if (kept.length === 0) attempts.delete(key);
    else attempts.set(key, kept);
    return kept;
  }

  function wait(times: number[], now: number): number {
    if (times.length < maxFailures) return 0;
    // Blocked until the oldest attempt that keeps the count at the limit leaves the window.
    return times[times.length - maxFailures] + windowMs - now;
  }

  // Room for `extra` new keys. The bound must not reset the count of a key under attack: an
  // attacker who floods distinct addresses could otherwise push out "user:ana" and guess again.
  // So only keys whose whole window has passed are evicted, and when every entry is live the new
  // key is refused (fail closed) until the earliest entry expires. A flood thus delays sign-ins
  // from new addresses for at most one window, and never buys an extra guess.
  function roomFor(extra: number, now: number): number {
    if (attempts.size + extra <= maxKeys) return 0;
    if (now >= nextExpiry) {
      nextExpiry = Infinity;
      for (const [key, times] of attempts) {
        const expires = times[times.length - 1] + windowMs;
        if (expires <= now) attempts.delete(key);
        else nextExpiry = Math.min(nextExpiry, expires);
      }
    }
    return attempts.size + extra <= maxKeys ? 0 : Math.min(windowMs, Math.max(1, nextExpiry - now));
  }

  function add(key: string, now: number): void {
    const times = recent(key, now);
    times.push(now);
    attempts.set(key, times);
  }

  return {
    retryAfterMs(key, now) {
      return wait(recent(key, now), now);
    },
    tryReserve(keys, now) {
      const unique = [...new Set(keys)];
      const retryAfterMs = Math.max(0, ...unique.map((k) => wait(recent(k, now), now)));
      if (retryAfterMs > 0) return { ok: false, retryAfterMs };
      const full = roomFor(unique.filter((k) => !attempts.has(k)).length, now);
      if (full > 0) return { ok: false, retryAfterMs: full };
      unique.forEach((k) => add(k, now));
      return { ok: true };
    },
    release(key, at) {
      const times = attempts.get(key);
      const i = times?.lastIndexOf(at) ?? -1;
      if (!times || i === -1) return;
      times.splice(i, 1);
      if (times.length === 0) attempts.delete(key);
      // The key may now expire sooner than the earliest expiry we remembered.
      nextExpiry = -Infinity;
    },
    recordFailure(key, now) {
      // An untracked key that finds the table full of live entries is not recorded; callers that
      // must fail closed use tryReserve instead.
      if (!attempts.has(key) && roomFor(1, now) > 0) return;
      add(key, now);
    },
    reset(key) {
      attempts.delete(key);
    },
  };
}

/** The process-wide sign-in limiter: 5 attempts per 5 minutes per address and per user. */
export function loginLimiter(): FailureLimiter {
  return processWide("loginLimiter", () => createFailureLimiter({ maxFailures: 5, windowMs: 5 * 60_000 }));
}
