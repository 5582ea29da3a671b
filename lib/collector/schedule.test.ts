import { describe, expect, it } from "vitest";
import { backoffMs, createSingleFlight, jitter } from "./schedule";

describe("jitter", () => {
  it.each([
    [0, 2700],
    [0.5, 3000],
    [1, 3300],
    [0.25, 2850],
  ])("rand %f spreads 3000 ms to %i ms", (r, expected) => {
    expect(jitter(3000, () => r)).toBe(expected);
  });

  it("stays within ±10 % for any random value", () => {
    for (let i = 0; i < 1000; i++) {
      const v = jitter(15_000);
      expect(v).toBeGreaterThanOrEqual(13_500);
      expect(v).toBeLessThanOrEqual(16_500);
    }
  });
});

describe("backoffMs", () => {
  it.each([
    [0, 500],
    [1, 1000],
    [2, 2000],
    [3, 3000],
    [10, 3000],
    [1000, 3000],
  ])("attempt %i with a 3 s cap waits %i ms", (attempt, expected) => {
    expect(backoffMs(attempt, 3000)).toBe(expected);
  });
});

describe("createSingleFlight", () => {
  it("skips and counts a run requested while one is in flight", async () => {
    const flight = createSingleFlight<number>();
    let release!: (v: number) => void;
    const first = flight.tryRun(() => new Promise<number>((r) => (release = r)));
    expect(first).not.toBeNull();
    expect(flight.tryRun(async () => 2)).toBeNull();
    expect(flight.tryRun(async () => 3)).toBeNull();
    expect(flight.overruns).toBe(2);
    expect(flight.current()).toBe(first);
    release(1);
    await expect(first).resolves.toBe(1);
    expect(flight.current()).toBeNull();
    await expect(flight.tryRun(async () => 4)).resolves.toBe(4);
    expect(flight.overruns).toBe(2);
  });

  it("frees the slot after a rejected run", async () => {
    const flight = createSingleFlight<number>();
    await expect(flight.tryRun(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(flight.current()).toBeNull();
    await expect(flight.tryRun(async () => 5)).resolves.toBe(5);
  });
});
