import { describe, expect, it } from "vitest";
import { bloatReliabilityText, indexAdvice } from "./index-advice";
import type { IndexRow } from "@/lib/api/indexes";

const MB = 1024 * 1024;
const row = (p: Partial<IndexRow>): IndexRow => ({
  schema: "public", table: "birth_charts", index: "bc_idx", sizeBytes: 50 * MB, idxScan: 10, isUnique: false, isPrimary: false,
  valid: true, definition: null, unused: false, duplicateOf: null, bloatPercent: 10, bloatSource: "estimate", reliable: true,
  unreliableReason: null, bloatMeasuredAt: null, ...p,
});

describe("indexAdvice", () => {
  it("reindex only for a trusted figure over the threshold on an index big enough", () => {
    expect(indexAdvice(row({ bloatPercent: 45 }), 30, 10 * MB).map((a) => a.sql)).toEqual(["REINDEX INDEX CONCURRENTLY public.bc_idx;"]);
    expect(indexAdvice(row({ bloatPercent: 45, reliable: false }), 30, 10 * MB)).toEqual([]);
    expect(indexAdvice(row({ bloatPercent: 45, reliable: false, bloatSource: "exact" }), 30, 10 * MB)).toHaveLength(1);
    expect(indexAdvice(row({ bloatPercent: 45, sizeBytes: MB }), 30, 10 * MB)).toEqual([]);
    expect(indexAdvice(row({ bloatPercent: 30 }), 30, 10 * MB)).toEqual([]);
  });
  it("drop for unused or duplicate, never for unique or primary", () => {
    expect(indexAdvice(row({ unused: true }), 30, 0)[0]).toMatchObject({ kind: "drop_unused", sql: "DROP INDEX CONCURRENTLY public.bc_idx;" });
    expect(indexAdvice(row({ unused: true, duplicateOf: "bc_idx2" }), 30, 0).map((a) => a.kind)).toEqual(["drop_duplicate"]);
    expect(indexAdvice(row({ unused: true, isUnique: true }), 30, 0)).toEqual([]);
    expect(indexAdvice(row({ duplicateOf: "x", isPrimary: true }), 30, 0)).toEqual([]);
  });
  it("reliability in words", () => {
    expect(bloatReliabilityText(row({ bloatPercent: null }))).toMatch(/no figure/);
    expect(bloatReliabilityText(row({ bloatSource: "exact" }))).toBe("exact (pgstatindex)");
    expect(bloatReliabilityText(row({ reliable: false, unreliableReason: "deduplicated low-cardinality keys" }))).toBe(
      "estimate, unreliable: deduplicated low-cardinality keys",
    );
  });
});
