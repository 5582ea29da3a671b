import { describe, expect, it } from "vitest";
import { chartCadenceMs, drawnState, lastValueAt, newestValueAt, panelState, staleAfter, type PanelStateInput } from "./panel-state";

const now = Date.parse("2025-01-01T12:00:00Z");
const base: PanelStateInput = { isPending: false, error: null, hasData: true, takenAt: "2025-01-01T11:59:58Z", cadenceMs: 3000, now };

describe("panelState", () => {
  it.each<[string, Partial<PanelStateInput>, string]>([
    ["first load", { isPending: true, hasData: false }, "loading"],
    ["fresh data", {}, "ready"],
    ["a fresh sample whose value is 0 is still data", { hasData: true }, "ready"],
    ["nothing collected yet", { hasData: false, takenAt: null }, "empty"],
    ["older than 2× cadence", { takenAt: "2025-01-01T11:59:53Z" }, "stale"],
    ["exactly 2× cadence is not stale yet", { takenAt: "2025-01-01T11:59:54Z" }, "ready"],
    ["the polling interval is tolerated on top", { takenAt: "2025-01-01T11:59:50Z", slackMs: 5000 }, "ready"],
    ["beyond 2× cadence + polling interval", { takenAt: "2025-01-01T11:59:48Z", slackMs: 5000 }, "stale"],
    ["failed with nothing in hand", { error: new Error("x"), hasData: false }, "error"],
    ["failed refresh over older data", { error: new Error("x") }, "stale"],
    ["failed while pending", { isPending: true, error: new Error("x"), hasData: false }, "error"],
  ])("%s", (_, patch, expected) => {
    expect(panelState({ ...base, ...patch })).toBe(expected);
  });
  it("lastValueAt skips trailing gaps", () => {
    expect(lastValueAt([["a", 1], ["b", null]])).toBe("a");
    expect(lastValueAt([["a", null]])).toBeNull();
    expect(lastValueAt([["a", 0]])).toBe("a");
  });
  it("newestValueAt takes the latest real value of any series, not the last series", () => {
    const older: Array<[string, number | null]> = [["2025-01-01T11:59:00Z", 1]];
    const newer: Array<[string, number | null]> = [["2025-01-01T11:59:30Z", 2], ["2025-01-01T11:59:45Z", null]];
    expect(newestValueAt([newer, undefined, older])).toBe("2025-01-01T11:59:30Z");
    expect(newestValueAt([undefined, [["2025-01-01T11:59:00Z", null]]])).toBeNull();
    expect(newestValueAt([])).toBeNull();
  });
});

describe("staleAfter", () => {
  it("is the moment 2× cadence plus the slack has passed: the panel's one clock tick", () => {
    expect(staleAfter("2025-01-01T11:59:50Z", 3000, 5000)).toBe(Date.parse("2025-01-01T12:00:01Z"));
    expect(staleAfter("2025-01-01T11:59:50Z", 3000)).toBe(Date.parse("2025-01-01T11:59:56Z"));
    expect(staleAfter("not a time", 3000)).toBeNull();
  });
  it("agrees with panelState on either side of it", () => {
    const at = staleAfter(base.takenAt!, base.cadenceMs)!;
    expect(panelState({ ...base, now: at })).toBe("ready");
    expect(panelState({ ...base, now: at + 1 })).toBe("stale");
  });
});

describe("drawnState", () => {
  it("ready waits for the chart code; other states pass through", () => {
    expect(drawnState("ready", false)).toBe("loading");
    expect(drawnState("stale", false)).toBe("loading");
    expect(drawnState("ready", true)).toBe("ready");
    expect(drawnState("empty", false)).toBe("empty");
    expect(drawnState("error", false)).toBe("error");
  });
});

describe("chartCadenceMs", () => {
  it.each([
    ["one step plus the series' cadence", 5, [{ cadenceMs: 3_000 }], 8_000],
    ["the slowest of series drawn together", 15, [{ cadenceMs: 3_000 }, { cadenceMs: 15_000 }], 30_000],
    ["an overridden cadence as the server sends it", 5, [{ cadenceMs: 60_000 }], 65_000],
    ["the step alone before any answer", 5, [undefined, undefined], 5_000],
  ] as const)("%s", (_, step, answers, want) => {
    expect(chartCadenceMs(step, answers)).toBe(want);
  });
});
