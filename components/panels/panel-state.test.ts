import { describe, expect, it } from "vitest";
import { drawnState, lastValueAt, panelState, type PanelStateInput } from "./panel-state";

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
