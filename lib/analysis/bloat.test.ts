import { describe, expect, it } from "vitest";
import { estimateBtreeBloat, exactBtreeBloat, type BtreeColumn, type BtreeEstimateInput } from "./bloat";

const int4: BtreeColumn = { attlen: 4, attalign: "i", avgWidth: 4, nullFrac: 0, nDistinct: -1, expression: false, key: true };
const int8: BtreeColumn = { ...int4, attlen: 8, attalign: "d", avgWidth: 8 };
const text33: BtreeColumn = { attlen: -1, attalign: "i", avgWidth: 33, nullFrac: 0, nDistinct: -1, expression: false, key: true };

const base: BtreeEstimateInput = {
  serverVersionNum: 170000,
  reltuples: 300_000,
  relpages: 825,
  blockSize: 8192,
  fillfactor: 90,
  unique: false,
  dedupAllowed: true,
  columns: [int4],
};

// Page counts measured on PostgreSQL 13 and 17 for 300,000 rows (fresh CREATE INDEX):
// int4 825 pages, (int4, timestamptz) 1157, md5 text 2165, int4 with fillfactor 70: 1063.
describe("estimateBtreeBloat", () => {
  it.each<[string, Partial<BtreeEstimateInput>, number, number]>([
    ["fresh int4", {}, 825, 0],
    ["fresh int4 + int8 composite", { relpages: 1157, columns: [int4, int8] }, 1157, 0],
    ["fresh text", { relpages: 2165, columns: [text33] }, 2150, 0.7],
    ["fillfactor 70", { relpages: 1063, fillfactor: 70 }, 1063, 0],
    ["double the pages", { relpages: 1650 }, 825, 50],
    ["a quarter of the rows left", { reltuples: 75_000, relpages: 825 }, 207, 74.9],
  ])("%s", (_name, over, expectedPages, bloat) => {
    const est = estimateBtreeBloat({ ...base, ...over })!;
    expect(est.expectedPages).toBeGreaterThanOrEqual(expectedPages - 3);
    expect(est.expectedPages).toBeLessThanOrEqual(expectedPages + 3);
    expect(est.bloatPercent).toBeCloseTo(bloat, 0);
    expect(est.wastedBytes).toBe(Math.max(0, ((over.relpages ?? 825) - est.expectedPages) * 8192));
  });

  it.each<[string, Partial<BtreeEstimateInput>]>([
    ["reltuples −1 (never analysed, 14+)", { reltuples: -1 }],
    ["reltuples 0 on 13 (unknown there)", { reltuples: 0, serverVersionNum: 130023 }],
    ["no statistics for a column", { columns: [{ ...int4, nullFrac: null }] }],
    ["no width for a varlena", { columns: [{ ...text33, avgWidth: null }] }],
    ["no pages", { relpages: 0 }],
  ])("null when %s", (_name, over) => {
    expect(estimateBtreeBloat({ ...base, ...over })).toBeNull();
  });

  it("counts reltuples 0 as empty on 14+", () => {
    const est = estimateBtreeBloat({ ...base, reltuples: 0, relpages: 200 })!;
    expect(est.expectedPages).toBe(1);
    expect(est.bloatPercent).toBeCloseTo(99.5, 1);
  });

  it.each<[string, Partial<BtreeEstimateInput>, string | null]>([
    ["unique-ish keys", {}, null],
    ["100 distinct values (deduplicated)", { columns: [{ ...int4, nDistinct: 100 }] }, "deduplicated"],
    ["100 distinct values on PG 12 rules", { serverVersionNum: 120000, columns: [{ ...int4, nDistinct: 100 }] }, null],
    ["100 distinct values, unique index", { unique: true, columns: [{ ...int4, nDistinct: 100 }] }, null],
    ["100 distinct values, no equalimage (numeric)", { dedupAllowed: false, columns: [{ ...int4, nDistinct: 100 }] }, null],
    ["composite with distinct combinations", { relpages: 1157, columns: [{ ...int4, nDistinct: 1000 }, { ...int8, nDistinct: 1000 }] }, null],
    ["fraction n_distinct −0.5 (2 per key)", { columns: [{ ...int4, nDistinct: -0.5 }] }, "deduplicated"],
    ["NULL-heavy key", { dedupAllowed: false, columns: [{ ...int4, nullFrac: 0.6 }] }, "null_heavy"],
    ["expression column", { columns: [{ ...text33, expression: true }] }, "expression"],
    ["estimate far below zero", { relpages: 600 }, "negative_estimate"],
    ["tiny index", { reltuples: 1000, relpages: 6 }, "small_index"],
  ])("reliability: %s", (_name, over, reason) => {
    const est = estimateBtreeBloat({ ...base, ...over })!;
    expect(est.unreliableReason).toBe(reason);
    expect(est.reliable).toBe(reason === null);
    expect(est.bloatPercent).toBeGreaterThanOrEqual(0);
  });

  it("counts NULLs as narrower entries with a bitmap", () => {
    const none = estimateBtreeBloat({ ...base, dedupAllowed: false })!;
    const half = estimateBtreeBloat({ ...base, dedupAllowed: false, columns: [{ ...text33, nullFrac: 0.5 }] })!;
    const full = estimateBtreeBloat({ ...base, dedupAllowed: false, columns: [text33] })!;
    expect(half.expectedPages).toBeLessThan(full.expectedPages);
    expect(half.expectedPages).toBeGreaterThan(none.expectedPages);
  });
});

describe("exactBtreeBloat", () => {
  it.each<[string, Parameters<typeof exactBtreeBloat>[0], number, number, number]>([
    // fillfactor 90: a fresh index at ~90 % density has no bloat.
    ["fresh", { leafPages: 820, emptyPages: 0, deletedPages: 0, avgLeafDensity: 90.05 }, 90, 0, 0],
    ["after deleting 53 %", { leafPages: 820, emptyPages: 0, deletedPages: 0, avgLeafDensity: 42.18 }, 90, 53.1, 820 * 8192 * 0.5313],
    ["fillfactor 70", { leafPages: 1000, emptyPages: 0, deletedPages: 0, avgLeafDensity: 35 }, 70, 50, 1000 * 8192 * 0.5],
    ["deleted and empty pages count as empty", { leafPages: 500, emptyPages: 100, deletedPages: 400, avgLeafDensity: 90 }, 90, 50, 1000 * 8192 * 0.5],
    ["denser than fillfactor (floored)", { leafPages: 100, emptyPages: 0, deletedPages: 0, avgLeafDensity: 99 }, 90, 0, 0],
    ["no leaf pages", { leafPages: 0, emptyPages: 0, deletedPages: 0, avgLeafDensity: Number.NaN }, 90, 0, 0],
    ["NaN density with deleted pages", { leafPages: 0, emptyPages: 0, deletedPages: 10, avgLeafDensity: Number.NaN }, 90, 100, 10 * 8192],
  ])("%s", (_name, r, ff, pct, bytes) => {
    const x = exactBtreeBloat(r, ff, 8192);
    expect(x.bloatPercent).toBeCloseTo(pct, 1);
    expect(Math.abs(x.wastedBytes - bytes)).toBeLessThanOrEqual(8192);
  });
});
