import { describe, expect, it } from "vitest";
import { filterAndSort, pageQuerySchema, slicePage } from "./paging";

type R = { name: string; size: number | null };
const rows: R[] = [
  { name: "b", size: 10 },
  { name: "a", size: null },
  { name: "c", size: 30 },
  { name: "ab", size: 10 },
];
const by = { name: (r: R) => r.name, size: (r: R) => r.size };
const sorted = (q: Parameters<typeof filterAndSort<R, "name" | "size">>[1]) => filterAndSort(rows, q, (r) => r.name, by).map((r) => r.name);

describe("paging", () => {
  it("sorts either way with nulls last and ties by name", () => {
    expect(sorted({ offset: 0, sort: "size", dir: "desc" })).toEqual(["c", "ab", "b", "a"]);
    expect(sorted({ offset: 0, sort: "size", dir: "asc" })).toEqual(["ab", "b", "c", "a"]);
    expect(sorted({ offset: 0, sort: "name", dir: "asc" })).toEqual(["a", "ab", "b", "c"]);
  });

  it("filters case-insensitively and slices a page that says what it holds", () => {
    const matched = filterAndSort(rows, { offset: 0, sort: "name", dir: "asc", q: "A" }, (r) => r.name, by);
    expect(matched.map((r) => r.name)).toEqual(["a", "ab"]);
    expect(slicePage(matched, { offset: 1, limit: 5 })).toEqual({ rows: [{ name: "ab", size: 10 }], page: { total: 2, offset: 1, limit: 5 } });
    expect(slicePage(matched, { offset: 0 }).page.limit).toBeNull();
  });

  it("names the bad parameter", () => {
    const schema = pageQuerySchema(["name", "size"], "size");
    expect(schema.parse({})).toEqual({ offset: 0, sort: "size", dir: "desc", format: "json" });
    expect(schema.safeParse({ sort: "x" }).error?.issues[0].path).toEqual(["sort"]);
    expect(schema.safeParse({ limit: "0" }).error?.issues[0].path).toEqual(["limit"]);
  });
});
