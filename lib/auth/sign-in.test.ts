import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword, type StoredUser } from "./password";
import { createFailureLimiter } from "./rate-limit";
import { attemptSignIn, type SignInResult } from "./sign-in";

// Real scrypt verification (at a low cost so the file stays quick): the race needs the password
// check to take time on the thread pool while other attempts arrive.
let users: StoredUser[];
beforeAll(async () => {
  users = [{ name: "ana", passwordHash: await hashPassword("right horse", { N: 2 ** 12, r: 8, p: 1 }), role: "admin" }];
});

const limiter = () => createFailureLimiter({ maxFailures: 5, windowMs: 300_000 });
const NOW = Date.UTC(2026, 0, 1, 12);

function kinds(results: SignInResult<StoredUser>[]): string[] {
  return results.map((r) => r.kind);
}

describe("attemptSignIn", () => {
  it("12 parallel guesses with a limit of 5: the right password arriving after 5 reservations is refused", async () => {
    const l = limiter();
    const passwords = [...Array.from({ length: 11 }, (_, i) => `guess ${i}`), "right horse"];
    const results = await Promise.all(passwords.map((password) => attemptSignIn({ name: "ana", password, source: "203.0.113.7", now: NOW }, { users, limiter: l })));
    expect(kinds(results)).toEqual([...Array(5).fill("failed"), ...Array(7).fill("limited")]);
    expect(results[11]).toEqual({ kind: "limited", retryAfterMs: 300_000 });
  });

  it("spreading the guesses over 12 addresses does not help: the user key is reserved too", async () => {
    const l = limiter();
    const sources = Array.from({ length: 12 }, (_, i) => `203.0.113.${i}`);
    const results = await Promise.all(sources.map((source, i) => attemptSignIn({ name: "ana", password: i === 11 ? "right horse" : "guess", source, now: NOW }, { users, limiter: l })));
    expect(results.filter((r) => r.kind !== "limited")).toHaveLength(5);
    expect(results[11].kind).toBe("limited");
  });

  it("the right password among the first five signs in, clears the user's count and not the address's failures", async () => {
    const l = limiter();
    const passwords = ["a", "b", "c", "right horse", "d", "e", "f"];
    const results = await Promise.all(passwords.map((password) => attemptSignIn({ name: "ana", password, source: "198.51.100.1", now: NOW }, { users, limiter: l })));
    expect(kinds(results)).toEqual(["failed", "failed", "failed", "ok", "failed", "limited", "limited"]);
    expect(l.retryAfterMs("user:ana", NOW + 1)).toBe(0);
    // The success was taken back from the address: 4 failures there, so one more attempt.
    expect(l.retryAfterMs("addr:198.51.100.1", NOW + 1)).toBe(0);
    expect((await attemptSignIn({ name: "ana", password: "g", source: "198.51.100.1", now: NOW + 1 }, { users, limiter: l })).kind).toBe("failed");
    expect((await attemptSignIn({ name: "ana", password: "right horse", source: "198.51.100.1", now: NOW + 2 }, { users, limiter: l })).kind).toBe("limited");
  });

  it("an unknown user is limited like a known one, and the address key is shared when the source is unknown", async () => {
    const l = createFailureLimiter({ maxFailures: 2, windowMs: 300_000 });
    const names = ["bob", "carol", "dave"];
    const results = await Promise.all(names.map((name) => attemptSignIn({ name, password: "x", source: null, now: NOW }, { users, limiter: l })));
    expect(kinds(results)).toEqual(["failed", "failed", "limited"]);
  });
});
