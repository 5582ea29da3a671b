import { describe, expect, it } from "vitest";
import { sortRows } from "./sort";

describe("sortRows", () => {
  const rows = [{ v: 3 }, { v: null }, { v: 0 }, { v: 10 }, { v: undefined }];
  it("nulls last ascending and descending; 0 is a value", () => {
    expect(sortRows(rows, (r) => r.v, "asc").map((r) => r.v)).toEqual([0, 3, 10, null, undefined]);
    expect(sortRows(rows, (r) => r.v, "desc").map((r) => r.v)).toEqual([10, 3, 0, null, undefined]);
  });
  it("strings by locale, stable for ties", () => {
    const s = [{ k: "b", n: 1 }, { k: "a", n: 2 }, { k: "b", n: 3 }];
    expect(sortRows(s, (r) => r.k, "asc").map((r) => r.n)).toEqual([2, 1, 3]);
  });
});
