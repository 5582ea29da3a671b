import { describe, expect, it } from "vitest";
import { counterDelta, hitRatio, perSecondRates, windowDelta, windowHitRatio, windowRate } from "./counters";

const s = (ts: number, value: number | null, reset: number | null = 1) => ({ ts: ts * 1000, value, reset });

describe("counterDelta", () => {
  it.each([
    ["normal increase", s(0, 100), s(10, 150), 50],
    ["no change", s(0, 100), s(10, 100), 0],
    ["counter went down: reset", s(0, 100), s(10, 5), null],
    ["stats_reset changed: reset even if value grew", s(0, 100), s(10, 500, 2), null],
    ["missing value", s(0, null), s(10, 5), null],
    ["time went backwards", s(10, 1), s(0, 5), null],
  ] as const)("%s", (_name, a, b, want) => {
    expect(counterDelta(a, b)).toBe(want);
  });
});

describe("perSecondRates", () => {
  it("divides by the real elapsed time and leaves resets as gaps", () => {
    const rates = perSecondRates([s(0, 0), s(15, 150), s(45, 450), s(60, 10), s(75, 160)]);
    expect(rates).toEqual([
      [15_000, 10],
      [45_000, 10],
      [60_000, null],
      [75_000, 10],
    ]);
  });
});

describe("windowDelta", () => {
  it("sums usable intervals and counts gaps", () => {
    expect(windowDelta([s(0, 0), s(10, 100), s(20, 50), s(30, 80)])).toEqual({ delta: 130, elapsedMs: 20_000, gaps: 1 });
  });
  it("is null, not 0, when nothing is usable", () => {
    expect(windowDelta([s(0, 10)]).delta).toBeNull();
  });
});

describe("hitRatio", () => {
  it("is null below the floor of block accesses", () => {
    expect(hitRatio(900, 50, 1000)).toBeNull();
    expect(hitRatio(990, 10, 1000)).toBeCloseTo(0.99);
  });
  it("the interval ratio differs from the lifetime ratio", () => {
    // Lifetime 26 %: hit 260 of 1000. Next interval: 9,999 hits of 10,000 accesses.
    const w = windowHitRatio([
      { ts: 0, hit: 260, read: 740 },
      { ts: 60_000, hit: 10_259, read: 741 },
    ]);
    expect(w.ratio).toBeCloseTo(0.9999, 4);
    expect(w.accesses).toBe(10_000);
  });
  it("leaves reset intervals out of both sums", () => {
    const w = windowHitRatio([
      { ts: 0, hit: 5000, read: 5000, reset: 1 },
      { ts: 1, hit: 100, read: 0, reset: 2 },
      { ts: 2, hit: 2100, read: 0, reset: 2 },
    ]);
    expect(w).toEqual({ ratio: 1, accesses: 2000, gaps: 1 });
  });
});

describe("windowRate (WAL bytes per second from position deltas)", () => {
  it.each([
    ["steady writing", [s(0, 0), s(15, 1500), s(30, 3000)], 100],
    ["nothing written is a known 0", [s(0, 500), s(15, 500)], 0],
    ["one sample: unknown", [s(0, 500)], null],
    ["no samples: unknown", [], null],
    ["the only interval went down (a reset): unknown, never 0 or negative", [s(0, 5000), s(15, 100)], null],
    ["a reset between good intervals is left out, not averaged in", [s(0, 0), s(10, 1000), s(20, 10), s(30, 1010)], 100],
    ["a missing value leaves its intervals out", [s(0, 0), s(10, null), s(20, 2000), s(30, 3000)], 100],
  ] as const)("%s", (_name, samples, want) => {
    expect(windowRate([...samples])).toBe(want);
  });
});
