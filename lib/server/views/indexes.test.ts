import { describe, expect, it } from "vitest";
import { bloatRow, indexRow } from "./rows";
import { toIndexes } from "./indexes";

const T = new Date("2026-03-01T10:00:00Z");
const MB = 1024 * 1024;

const stat = (index: string, over: Record<string, unknown> = {}) =>
  indexRow.parse({ schemaname: "public", table: "users", index, size_bytes: 50 * MB, idx_scan: 10, is_unique: false, is_primary: false, is_valid: true, definition: `CREATE INDEX ${index} ON public.users USING btree (x)`, unused: false, duplicate_of: null, ...over });
const bloat = (indexname: string, over: Record<string, unknown> = {}) =>
  bloatRow.parse({ schemaname: "public", tablename: "users", indexname, index_bytes: 50 * MB, bloat_percent: 45.2, reliable: true, unreliable_reason: null, bloat_source: "estimate", ...over });

const base = { targetId: "t", cadenceMs: 300_000, unavailable: null, bloatUnavailable: null, bloatThresholdPercent: 30, minIndexBytes: 10 * MB, statsResetAt: null };

describe("toIndexes", () => {
  it("joins bloat to stats, with source, reliability and the fix SQL", () => {
    const r = toIndexes({
      ...base,
      stats: { ts: T, rows: [stat("users_email_idx"), stat("Users Dup", { duplicate_of: "users_email_idx" }), stat("users_unused", { unused: true, idx_scan: 0 }), stat("users_pkey", { is_primary: true, is_unique: true, unused: false })] },
      bloat: {
        ts: T,
        rows: [
          bloat("users_email_idx", { bloat_source: "exact", reliable: true, bloat_percent: 61.5 }),
          bloat("users_unused", { reliable: false, unreliable_reason: "deduplicated", bloat_percent: -120 }),
        ],
      },
    });
    const [email, dup, unused, pkey] = r.rows;
    expect(email).toMatchObject({ bloatPercent: 61.5, bloatSource: "exact", reliable: true, unreliableReason: null, bloatMeasuredAt: T.toISOString() });
    expect(email.advice).toEqual([expect.objectContaining({ kind: "reindex", sql: "REINDEX INDEX CONCURRENTLY public.users_email_idx;" })]);
    // Identifiers quoted like quote_ident: mixed case and spaces need double quotes.
    expect(dup.advice).toEqual([expect.objectContaining({ kind: "drop_duplicate", sql: 'DROP INDEX CONCURRENTLY public."Users Dup";' })]);
    expect(dup).toMatchObject({ bloatPercent: null, bloatSource: null, reliable: null, duplicateOf: "users_email_idx" });
    // An unreliable estimate is shown with its reason and never advised on.
    expect(unused).toMatchObject({ bloatSource: "estimate", reliable: false, unreliableReason: "deduplicated" });
    expect(unused.advice?.map((a) => a.kind)).toEqual(["drop_unused"]);
    expect(pkey.advice).toEqual([]);
  });

  it("no stats sample yet is not an empty database", () => {
    const r = toIndexes({ ...base, stats: null, bloat: null, bloatUnavailable: "unavailable: no access to pg_stats" });
    expect(r).toMatchObject({ takenAt: null, rows: [], bloatUnavailable: "unavailable: no access to pg_stats" });
  });

  it("a bloat row without a figure (never analysed) has no source", () => {
    const r = toIndexes({ ...base, stats: { ts: T, rows: [stat("a")] }, bloat: { ts: T, rows: [bloat("a", { bloat_percent: null, reliable: false, unreliable_reason: "never_analysed" })] } });
    expect(r.rows[0]).toMatchObject({ bloatPercent: null, bloatSource: null, reliable: null, unreliableReason: "never_analysed" });
  });
});
