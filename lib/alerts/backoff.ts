// Retry schedule of the delivery worker: exponential from baseMs, capped, with jitter so that
// workers retrying a receiver that comes back do not all hit it in the same second.

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** Give up (status "dead") after this many attempts… */
  maxAttempts: number;
  /** …or once the notification is this old, whichever comes first. */
  maxAgeMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 5_000, capMs: 600_000, maxAttempts: 200, maxAgeMs: 24 * 3600_000 };

/** Delay before the attempt after `attempt` failed ones (1-based): half fixed, half random. */
export function backoffDelayMs(attempt: number, policy: Pick<RetryPolicy, "baseMs" | "capMs">, random: () => number = Math.random): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export function shouldGiveUp(attempts: number, createdAt: number, now: number, policy: Pick<RetryPolicy, "maxAttempts" | "maxAgeMs">): boolean {
  return attempts >= policy.maxAttempts || now - createdAt >= policy.maxAgeMs;
}

/** 408, 429 and 5xx are worth retrying; any other 4xx will not get better by itself. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
