import "server-only";
import { verifyCredentials, type StoredUser } from "./password";
import type { FailureLimiter } from "./rate-limit";

// One sign-in attempt, limited per source address and per user name. The route handler adds
// HTTP, logging and the audit row; this is the part whose ordering matters.

export interface SignInAttempt {
  name: string;
  password: string;
  /** The client's address as identify.ts sees it; null when unknown (all such share a key). */
  source: string | null;
  now: number;
}

export type SignInResult<U> = { kind: "ok"; user: U } | { kind: "limited"; retryAfterMs: number } | { kind: "failed" };

export async function attemptSignIn<U extends StoredUser>(
  { name, password, source, now }: SignInAttempt,
  deps: { users: readonly U[]; limiter: FailureLimiter },
): Promise<SignInResult<U>> {
  const addrKey = `addr:${source ?? "unknown"}`;
  const userKey = `user:${name}`;
  // Reserve before the slow password check: a check-then-record limiter let parallel guesses
  // all pass the check during the ≈ 0.3 s scrypt and so exceed the limit.
  const reservation = deps.limiter.tryReserve([addrKey, userKey], now);
  if (!reservation.ok) return { kind: "limited", retryAfterMs: reservation.retryAfterMs };
  const user = await verifyCredentials(deps.users, name, password);
  // A failure keeps its reservation: that is the failure counted.
  if (!user) return { kind: "failed" };
  // Success clears the user's count, and takes back this attempt from the address, so people
  // behind one NAT are not limited by each other's successful sign-ins.
  deps.limiter.reset(userKey);
  deps.limiter.release(addrKey, now);
  return { kind: "ok", user };
}
