import { describe, expect, it } from "vitest";
import { alertWindow, alertWindowLayout, niceDomain, type AlertWindowLine } from "./alert-window-layout";

const MIN = 60_000;

describe("alert chart layout", () => {
  it("puts the upper line's label above it and the lower one's below it, so close lines never collide", () => {
    const l = alertWindowLayout({
      values: [88, 91, 95],
      lines: [
        { y: 90, label: "fires below 90 %", kind: "threshold" },
        { y: 92, label: "clears at 92 %", kind: "clear" },
      ],
      firedAt: 5 * MIN,
      xDomain: [0, 10 * MIN],
    });
    expect(l.lines.map((x) => [x.label, x.side])).toEqual([
      ["clears at 92 %", "above"],
      ["fires below 90 %", "below"],
    ]);
    const [lo, hi] = l.yDomain;
    // Room above and below every line for its label.
    expect(lo).toBeLessThan(88);
    expect(hi).toBeGreaterThan(95);
  });

  it("keeps a non-negative measure's axis at 0 or above, on round numbers", () => {
    const l = alertWindowLayout({ values: [300, 11_000], lines: [{ y: 1000, label: "fires above 1 s", kind: "threshold" }], firedAt: 9 * MIN, xDomain: [0, 10 * MIN] });
    expect(l.yDomain).toEqual([0, 15_000]);
    expect(niceDomain(-3.4, 14.6)).toEqual([-5, 15]);
    expect(niceDomain(86.2, 97.9)).toEqual([86, 98]);
  });

  it("stops a percentage's axis at 100 unless a value passes it", () => {
    const lines: AlertWindowLine[] = [
      { y: 90, label: "fires below 90 %", kind: "threshold" },
      { y: 92, label: "clears at 92 %", kind: "clear" },
    ];
    const at = (values: number[], ceiling?: number) => alertWindowLayout({ values, lines, firedAt: 5 * MIN, xDomain: [0, 10 * MIN], ceiling }).yDomain;
    // A cache ratio that fell to 40 %: padded past 100 % without the ceiling.
    expect(at([40, 75, 100])).toEqual([20, 120]);
    expect(at([40, 75, 100], 100)).toEqual([20, 100]);
    // A value over the ceiling (used connections past the usable ones) keeps its room.
    expect(at([40, 75, 104], 100)[1]).toBeGreaterThan(104);
  });

  it("writes the 'fired' label on the side of its line that has room", () => {
    const at = (firedAt: number) => alertWindowLayout({ values: [1], lines: [], firedAt, xDomain: [0, 10 * MIN] }).firedLabelSide;
    expect(at(5 * MIN)).toBe("right");
    expect(at(9.5 * MIN)).toBe("left");
  });

  it("draws as much before the start as the episode lasted (15 min at least), and half that after a resolved one", () => {
    const now = 1_000 * MIN;
    expect(alertWindow(now - 2 * MIN, null, now)).toEqual([now - 17 * MIN, now]);
    expect(alertWindow(now - 60 * MIN, null, now)).toEqual([now - 120 * MIN, now]);
    expect(alertWindow(now - 100 * MIN, now - 70 * MIN, now)).toEqual([now - 130 * MIN, now - 55 * MIN]);
  });
});
