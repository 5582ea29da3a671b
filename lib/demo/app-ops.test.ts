import { describe, expect, it } from "vitest";
import { APP_OPS, pickOp } from "./app-ops";

describe("pickOp", () => {
  it("covers every operation in proportion to its weight", () => {
    const total = APP_OPS.reduce((s, [, , w]) => s + w, 0);
    let cumulative = 0;
    for (const [name, , w] of APP_OPS) {
      expect(pickOp((cumulative + w / 2) / total)[0]).toBe(name);
      cumulative += w;
    }
    expect(pickOp(0)[0]).toBe(APP_OPS[0][0]);
    expect(pickOp(0.999999)[0]).toBe(APP_OPS[APP_OPS.length - 1][0]);
  });
});
