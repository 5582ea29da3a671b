import { describe, expect, it } from "vitest";
import { createFailureLimiter } from "./rate-limit";

describe("failure limiter", () => {
  it("blocks after 5 failures in 5 minutes and lets go as they age out", () => {
    const l = createFailureLimiter({ maxFailures: 5, windowMs: 300_000 });
    for (let i = 0; i < 4; i++) l.recordFailure("ip:1", i * 1000);
    expect(l.retryAfterMs("ip:1", 4000)).toBe(0);
    l.recordFailure("ip:1", 4000);
    expect(l.retryAfterMs("ip:1", 5000)).toBe(295_000);
    expect(l.retryAfterMs("ip:2", 5000)).toBe(0);
    expect(l.retryAfterMs("ip:1", 299_000)).toBe(1000);
    expect(l.retryAfterMs("ip:1", 300_000)).toBe(0);
  });

  it("reset clears a key", () => {
    const l = createFailureLimiter({ maxFailures: 1, windowMs: 1000 });
    l.recordFailure("user:ana", 0);
    expect(l.retryAfterMs("user:ana", 1)).toBe(999);
    l.reset("user:ana");
    expect(l.retryAfterMs("user:ana", 1)).toBe(0);
  });

  it("a reservation counts at once, for every key, and none when one key is at the limit", () => {
    const l = createFailureLimiter({ maxFailures: 2, windowMs: 1000 });
    expect(l.tryReserve(["addr:1", "user:ana"], 0)).toEqual({ ok: true });
    expect(l.tryReserve(["addr:2", "user:ana"], 10)).toEqual({ ok: true });
    // user:ana is at 2 before either attempt has been checked.
    expect(l.tryReserve(["addr:3", "user:ana"], 20)).toEqual({ ok: false, retryAfterMs: 980 });
    expect(l.retryAfterMs("addr:3", 20)).toBe(0);
    expect(l.tryReserve(["addr:3", "addr:3"], 20)).toEqual({ ok: true }); // a repeated key counts once
    expect(l.tryReserve(["addr:3"], 20)).toEqual({ ok: true });
    expect(l.retryAfterMs("user:ana", 999)).toBe(1);
    expect(l.tryReserve(["user:ana"], 1000)).toEqual({ ok: true });
    expect(l.tryReserve(["user:ana"], 1000)).toEqual({ ok: false, retryAfterMs: 10 });
  });

  it("release takes back one reserved attempt", () => {
    const l = createFailureLimiter({ maxFailures: 2, windowMs: 1000 });
    l.tryReserve(["addr:1"], 0);
    l.tryReserve(["addr:1"], 5);
    expect(l.retryAfterMs("addr:1", 6)).toBe(994);
    l.release("addr:1", 5);
    expect(l.retryAfterMs("addr:1", 6)).toBe(0);
    l.release("addr:1", 5); // nothing reserved at 5 any more: no effect
    expect(l.tryReserve(["addr:1"], 7)).toEqual({ ok: true });
    expect(l.retryAfterMs("addr:1", 8)).toBe(992);
  });

  it("a full table of live keys refuses new keys and never evicts a key with failures", () => {
    const l = createFailureLimiter({ maxFailures: 3, windowMs: 1000, maxKeys: 3 });
    l.recordFailure("user:ana", 0);
    l.recordFailure("user:ana", 0);
    // A flood of distinct addresses fills the table…
    expect(l.tryReserve(["addr:1"], 100)).toEqual({ ok: true });
    expect(l.tryReserve(["addr:2"], 200)).toEqual({ ok: true });
    // …and is refused until the earliest entry (ana's, at 0) leaves the window.
    expect(l.tryReserve(["addr:3"], 300)).toEqual({ ok: false, retryAfterMs: 700 });
    l.recordFailure("addr:4", 300);
    expect(l.retryAfterMs("addr:4", 300)).toBe(0);
    // ana keeps her two failures: one more attempt, not three.
    expect(l.tryReserve(["user:ana"], 400)).toEqual({ ok: true });
    expect(l.tryReserve(["user:ana"], 500)).toEqual({ ok: false, retryAfterMs: 500 });
  });

  it("a full table makes room by evicting only keys whose window has passed", () => {
    const l = createFailureLimiter({ maxFailures: 3, windowMs: 1000, maxKeys: 2 });
    l.tryReserve(["addr:old"], 0);
    l.tryReserve(["user:ana"], 500);
    l.tryReserve(["user:ana"], 600);
    expect(l.tryReserve(["addr:new"], 900)).toEqual({ ok: false, retryAfterMs: 100 });
    expect(l.tryReserve(["addr:new"], 1000)).toEqual({ ok: true });
    expect(l.retryAfterMs("user:ana", 1000)).toBe(0);
    expect(l.tryReserve(["user:ana"], 1000)).toEqual({ ok: true });
    expect(l.retryAfterMs("user:ana", 1000)).toBe(500);
  });
});
