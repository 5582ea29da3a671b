import { describe, expect, it } from "vitest";
import { selectSlowWindows, statementKey, statementWindows, type StatementBaseline, type StatementCounters } from "./statements";

const e = (key: string, calls: number, totalMs: number, statsSince: number | null = null, maxMs: number | null = null): StatementCounters => ({
  key,
  calls,
  totalMs,
  maxMs,
  statsSince,
});

const baselineOf = (readAt: number, entries: StatementCounters[]): StatementBaseline => ({
  readAt,
  entries: new Map(entries.map((x) => [x.key, x])),
});

describe("statementKey", () => {
  it("separates top-level and nested entries", () => {
    expect(statementKey(10, 5, "-42", true)).not.toBe(statementKey(10, 5, "-42", false));
    expect(statementKey(10, 5, "-42", true)).toBe("10:5:-42:1");
  });
});

describe("statementWindows", () => {
  it("emits nothing on the first read and keeps it as the baseline", () => {
    const r = statementWindows(null, [e("a", 10, 5000)], 1000);
    expect(r.windows).toEqual([]);
    expect(r.baseline.entries.get("a")?.calls).toBe(10);
    expect(r.baseline.readAt).toBe(1000);
  });

  it.each<[string, StatementCounters[], StatementCounters[], { key: string; calls: number; totalMs: number; meanMs: number; fromZero: boolean; maxMs: number | null }[], number]>([
    ["delta of a known entry", [e("a", 10, 1000)], [e("a", 14, 9000, null, 3000)], [{ key: "a", calls: 4, totalMs: 8000, meanMs: 2000, fromZero: false, maxMs: null }], 0],
    ["no calls in the window", [e("a", 10, 1000)], [e("a", 10, 1000)], [], 0],
    ["new entry counted from zero", [e("a", 1, 1)], [e("a", 1, 1), e("b", 2, 2400, null, 1300)], [{ key: "b", calls: 2, totalMs: 2400, meanMs: 1200, fromZero: true, maxMs: 1300 }], 0],
    ["new entry created after the previous read (1.11+)", [], [e("b", 1, 1200, 1500, 1200)], [{ key: "b", calls: 1, totalMs: 1200, meanMs: 1200, fromZero: true, maxMs: 1200 }], 0],
    // Created at parse time, hidden until its first call ended after the previous read.
    ["new entry created before the previous read", [], [e("b", 1, 1200, 500, 1200)], [{ key: "b", calls: 1, totalMs: 1200, meanMs: 1200, fromZero: true, maxMs: 1200 }], 0],
    ["calls went down: reset", [e("a", 10, 1000)], [e("a", 3, 4000)], [], 1],
    ["total went down: reset", [e("a", 10, 5000)], [e("a", 12, 4000)], [], 1],
    ["stats_since changed: evicted and re-created", [e("a", 10, 1000, 100)], [e("a", 20, 90000, 1600)], [], 1],
    ["stats_since unchanged", [e("a", 10, 1000, 100)], [e("a", 11, 2500, 100)], [{ key: "a", calls: 1, totalMs: 1500, meanMs: 1500, fromZero: false, maxMs: null }], 0],
    ["entry gone (evicted): nothing", [e("a", 10, 1000)], [], [], 0],
  ])("%s", (_name, before, now, expected, skipped) => {
    const r = statementWindows(baselineOf(1000, before), now, 2000);
    expect(r.windows.map((w) => ({ key: w.entry.key, calls: w.calls, totalMs: w.totalMs, meanMs: w.meanMs, fromZero: w.fromZero, maxMs: w.maxMs }))).toEqual(expected);
    expect(r.skipped).toBe(skipped);
    expect(r.baseline.readAt).toBe(2000);
  });
});

describe("selectSlowWindows", () => {
  const prev = baselineOf(0, [e("fast", 0, 0), e("slow", 0, 0), e("busy", 0, 0), e("idle", 0, 0)]);
  const { windows } = statementWindows(prev, [e("fast", 10, 50), e("slow", 1, 1500), e("busy", 10_000, 9000), e("idle", 1, 0)], 1);

  it.each<[number, number, string[]]>([
    [1000, 0, ["slow"]],
    [1000, 1, ["busy", "slow"]],
    [1000, 2, ["busy", "slow"]],
    [1000, 3, ["busy", "slow", "fast"]],
    [1, 0, ["slow", "fast"]],
    [2000, 0, []],
  ])("threshold %i ms, top %i", (threshold, topN, keys) => {
    expect(selectSlowWindows(windows, threshold, topN).map((w) => w.entry.key)).toEqual(keys);
  });
});
