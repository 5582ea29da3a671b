import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createScheduler } from "./scheduler";

// The workload's clock on fake timers: what runs when, what ends what, and that stop() ends it all.

let lines: string[];
beforeEach(() => {
  vi.useFakeTimers();
  lines = [];
});
afterEach(() => {
  vi.useRealTimers();
});

const clockAt = () => createScheduler((l) => lines.push(l));

describe("demo scheduler", () => {
  it("a burst runs every `everyMs` for `forMs`, then rests until its next period", async () => {
    const clock = clockAt();
    const runs: number[] = [];
    clock.burst("scan", { startMs: 1_000, everyMs: 100, forMs: 300, periodMs: 10_000 }, async () => void runs.push(Date.now()));
    const t0 = Date.now();
    await vi.advanceTimersByTimeAsync(12_000);
    expect(runs.map((t) => t - t0)).toEqual([1_000, 1_100, 1_200, 11_000, 11_100, 11_200]);
    await clock.stop();
  });

  it("an episode is ended `holdMs` after it began, once per period", async () => {
    const clock = clockAt();
    const events: string[] = [];
    const t0 = Date.now();
    clock.episodes("import", { startMs: 0, holdMs: 3_000, periodMs: 10_000 }, false, async () => {
      events.push(`begin ${Date.now() - t0}`);
      return async () => void events.push(`end ${Date.now() - t0}`);
    });
    await vi.advanceTimersByTimeAsync(14_000);
    expect(events).toEqual(["begin 0", "end 3000", "begin 10000", "end 13000"]);
    await clock.stop();
  });

  it("stop() releases held sessions, but leaves a condition that is not held as it is", async () => {
    const clock = clockAt();
    const events: string[] = [];
    clock.episodes("lock chain", { startMs: 0, holdMs: 60_000, periodMs: 120_000 }, true, async () => async () => void events.push("chain released"));
    clock.episodes("bloat", { startMs: 0, holdMs: 60_000, periodMs: 120_000 }, false, async () => async () => void events.push("reindexed"));
    await vi.advanceTimersByTimeAsync(10);
    await clock.stop();
    await vi.advanceTimersByTimeAsync(200_000);
    expect(events).toEqual(["chain released"]);
  });

  it("a held session that cannot be opened is tried again after the pause; a failure is logged by name", async () => {
    const clock = clockAt();
    let attempts = 0;
    clock.hold("idle session", { startMs: 0, holdMs: 1_000, pauseMs: 500 }, async () => {
      attempts++;
      if (attempts === 1) throw new Error("the database system is starting up");
      return { pid: 42, release: async () => {} };
    });
    await vi.advanceTimersByTimeAsync(600);
    expect(attempts).toBe(2);
    expect(lines).toEqual(["workload: idle session failed: the database system is starting up", "workload: idle session (pid 42) held for 1 s"]);
    // Held 1 s, then reopened after the 0.5 s pause.
    await vi.advanceTimersByTimeAsync(1_600);
    expect(attempts).toBe(3);
    await clock.stop();
  });

  it("a run still going is not started again", async () => {
    const clock = clockAt();
    let running = 0;
    let started = 0;
    clock.every(0, 100, "slow job", async () => {
      started++;
      running++;
      await new Promise((r) => setTimeout(r, 350));
      running--;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(running).toBeLessThanOrEqual(1);
    expect(started).toBe(3); // at 0, 400 (after 0–350 ended), 800
    await clock.stop();
  });

  it("stop() waits for work it was told to finish first", async () => {
    const clock = clockAt();
    let done = false;
    void clock.finishFirst(new Promise<void>((r) => setTimeout(() => ((done = true), r()), 1_000)));
    const stopping = clock.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
    expect(done).toBe(true);
  });
});
