import type { TableRow } from "@/lib/api/tables";

// A hint on the tables page, free of zod so the browser can import it.

/** Large tables read mostly by sequential scans are worth an index review. */
export const NEEDS_INDEX_MIN_BYTES = 100 * 1024 * 1024;
export const NEEDS_INDEX_SEQ_SHARE = 0.5;

export function likelyNeedsIndex(row: Pick<TableRow, "totalBytes" | "seqScan" | "idxScan">): boolean {
  if (row.totalBytes === null || row.seqScan === null) return false;
  if (row.totalBytes < NEEDS_INDEX_MIN_BYTES || row.seqScan === 0) return false;
  const idx = row.idxScan ?? 0;
  return row.seqScan / (row.seqScan + idx) > NEEDS_INDEX_SEQ_SHARE;
}
