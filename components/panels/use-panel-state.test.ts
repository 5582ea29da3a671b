import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { usePanelState, type PanelStateOptions } from "./use-panel-state";

// The hook only maps a query result onto the pure rule (panel-state.test.ts); these cases pin
// that mapping: what counts as data, and when the sample time is read at all.

const NOW = Date.parse("2025-01-01T12:00:00Z");
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const answered = { isPending: false, error: null, data: { rows: [] } };

function stateOf(q: { isPending: boolean; error: Error | null; data: unknown }, o: PanelStateOptions): string {
  function Probe() {
    return usePanelState(q, o).state;
  }
  return renderToStaticMarkup(createElement(Probe));
}

describe("usePanelState", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it.each<[string, Parameters<typeof stateOf>[0], PanelStateOptions, string]>([
    ["first load", { isPending: true, error: null, data: undefined }, { everyMs: 1000 }, "loading"],
    ["an empty list is an answer", answered, { everyMs: 1000 }, "ready"],
    ["failed with no answer", { isPending: false, error: new Error("x"), data: undefined }, { everyMs: 1000 }, "error"],
    ["failed refresh over an answer", { ...answered, error: new Error("x") }, { everyMs: 1000 }, "stale"],
    ["the panel says what counts as data", answered, { everyMs: 1000, hasData: false }, "empty"],
    ["an answer without a sample yet is empty", answered, { everyMs: 1000, sampled: { takenAt: null, cadenceMs: 3000 } }, "empty"],
    ["a fresh sample", answered, { everyMs: 1000, sampled: { takenAt: ago(5000), cadenceMs: 3000 } }, "ready"],
    ["a sample older than 2× cadence", answered, { everyMs: 1000, sampled: { takenAt: ago(7000), cadenceMs: 3000 } }, "stale"],
    ["the polling interval is tolerated on top", answered, { everyMs: 1000, sampled: { takenAt: ago(7000), cadenceMs: 3000, slackMs: 2000 } }, "ready"],
  ])("%s", (_, q, o, expected) => {
    expect(stateOf(q, o)).toBe(expected);
  });
});
