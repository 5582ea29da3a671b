import { describe, expect, it } from "vitest";
import { alertLines } from "./alert-lines";

const base = { keepFiringForSeconds: 0, firedValue: null, running: null } as const;

describe("alertLines", () => {
  it.each([
    {
      name: "cache_hit_ratio between the lines stays firing: the clear line is shown",
      alert: { value: 90.43, unit: "percent", state: "firing" as const },
      ctx: { ...base, comparator: "lt" as const, threshold: 90, clearThreshold: 92, firedValue: 88.1 },
      want: ["fired at 88.1 %", "90.4 % now", "fires below 90 %", "clears at 92 %"],
    },
    {
      name: "no hysteresis: the threshold clears it",
      alert: { value: 420, unit: "seconds", state: "firing" as const },
      ctx: { ...base, comparator: "gt" as const, threshold: 300, clearThreshold: null, firedValue: 301 },
      want: ["fired at 5 min 1 s", "7 min now", "fires above 5 min", "clears at 5 min"],
    },
    {
      name: "a slow statement still running reads 'running for', and clears after quiet minutes",
      alert: { value: 1500, unit: "ms", state: "firing" as const },
      ctx: { ...base, comparator: "gt" as const, threshold: 1000, clearThreshold: null, keepFiringForSeconds: 600, firedValue: 1500, running: { pid: 42, forMs: 188_000 } },
      want: ["fired at 1.5 s", "running for 3 min 8 s", "fires above 1 s", "clears after 10 min without one"],
    },
    {
      name: "resolved: the last value is the one it cleared at",
      alert: { value: 93, unit: "percent", state: "resolved" as const },
      ctx: { ...base, comparator: "lt" as const, threshold: 90, clearThreshold: 92 },
      want: ["93 % when it cleared", "fires below 90 %", "clears at 92 %"],
    },
    {
      name: "a yes/no rule reads in words",
      alert: { value: 0, unit: null, state: "firing" as const },
      ctx: { ...base, comparator: "lt" as const, threshold: 1, clearThreshold: null },
      want: ["down now", "fires while down", "clears once it answers"],
    },
    {
      name: "an unknown current value is left out, not shown as 0",
      alert: { value: null, unit: "bytes", state: "pending" as const },
      ctx: { ...base, comparator: "gt" as const, threshold: 10 * 1024 ** 3, clearThreshold: 9.5 * 1024 ** 3 },
      want: ["fires above 10 GB", "clears at 9.5 GB"],
    },
  ])("$name", ({ alert, ctx, want }) => {
    expect(alertLines(alert, ctx)).toEqual(want);
  });
});
