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

  it("bounds memory by dropping the oldest key", () => {
    const l = createFailureLimiter({ maxFailures: 1, windowMs: 1000, maxKeys: 2 });
    l.recordFailure("a", 0);
    l.recordFailure("b", 0);
    l.recordFailure("c", 0);
    expect(l.retryAfterMs("a", 1)).toBe(0);
    expect(l.retryAfterMs("c", 1)).toBe(999);
  });
});
