import { describe, expect, it } from "vitest";
import type { IndexesResponse, IndexRow } from "@/lib/api/indexes";
import { indexesPage } from "./list-pages";

// The indexes page's flag (unused, duplicate, bloated) is applied by the server before paging:
// a page of 50 filtered in the browser would miss the flagged indexes beyond it.

const row = (index: string, o: Partial<IndexRow>): IndexRow =>
  ({ schema: "public", table: "t", index, sizeBytes: 8192, idxScan: 1, unused: false, duplicateOf: null, bloatPercent: null, ...o }) as IndexRow;

const full = {
  bloatThresholdPercent: 30,
  rows: [row("a", { unused: true, sizeBytes: 10 }), row("b", { duplicateOf: "public.a", sizeBytes: 20 }), row("c", { bloatPercent: 31, sizeBytes: 30 }), row("d", { bloatPercent: 30, sizeBytes: 40 })],
} as IndexesResponse;

const names = (flag: "all" | "unused" | "duplicate" | "bloated", limit = 50) =>
  indexesPage(full, { flag, limit, offset: 0, sort: "size", dir: "desc" });

describe("indexes page by flag", () => {
  it("keeps the flagged indexes only, then pages", () => {
    expect(names("unused").rows.map((r) => r.index)).toEqual(["a"]);
    expect(names("duplicate").rows.map((r) => r.index)).toEqual(["b"]);
    // Over the threshold the answer states, not at it.
    expect(names("bloated").rows.map((r) => r.index)).toEqual(["c"]);
    const all = names("all", 2);
    expect([all.rows.map((r) => r.index), all.page]).toEqual([["d", "c"], { total: 4, offset: 0, limit: 2 }]);
  });
});
