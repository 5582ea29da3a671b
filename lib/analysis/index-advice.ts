import type { IndexRow } from "@/lib/api/indexes";
import { dropIndexSql, reindexSql } from "./sql-ident";

// What a DBA would do about an index, and why, in plain words. The SQL is shown for copying;
// pgpulse never runs it.

export interface IndexAdvice {
  kind: "reindex" | "drop_unused" | "drop_duplicate";
  reason: string;
  sql: string;
}

export function indexAdvice(row: IndexRow, bloatThresholdPercent: number, minIndexBytes: number): IndexAdvice[] {
  const out: IndexAdvice[] = [];
  const trusted = row.bloatSource === "exact" || row.reliable === true;
  if (row.bloatPercent !== null && row.bloatPercent > bloatThresholdPercent && trusted && (row.sizeBytes ?? 0) >= minIndexBytes) {
    out.push({
      kind: "reindex",
      reason: `${row.bloatPercent.toFixed(1)} % bloat (${row.bloatSource === "exact" ? "measured with pgstatindex" : "reliable estimate"}) over the ${bloatThresholdPercent} % threshold`,
      sql: reindexSql(row.schema, row.index),
    });
  }
  // A unique or primary key index enforces a constraint: never suggest dropping it.
  if (row.isUnique || row.isPrimary) return out;
  if (row.duplicateOf) {
    out.push({ kind: "drop_duplicate", reason: `same keys, expressions and predicate as ${row.duplicateOf}`, sql: dropIndexSql(row.schema, row.index) });
  } else if (row.unused) {
    out.push({ kind: "drop_unused", reason: "no scans since the statistics were last reset", sql: dropIndexSql(row.schema, row.index) });
  }
  return out;
}

/** How the bloat figure should be read, in words. */
export function bloatReliabilityText(row: IndexRow): string {
  if (row.bloatPercent === null) return "no figure (statistics missing or table never analysed)";
  if (row.bloatSource === "exact") return "exact (pgstatindex)";
  if (row.reliable) return "estimate, reliable";
  return `estimate, unreliable${row.unreliableReason ? `: ${row.unreliableReason}` : ""}`;
}
