import { indexAdvice } from "@/lib/analysis/index-advice";
import type { IndexesResponse, IndexRow } from "@/lib/api/indexes";
import type { BloatRow, IndexStatsRow } from "./rows";

// index_stats joined with the latest index_bloat rows → the indexes tab. Bloat is per btree and
// on a slower cadence: an index without a bloat row has no figure (null), not 0 %.

export interface IndexesInput {
  targetId: string;
  stats: { ts: Date; rows: IndexStatsRow[] } | null;
  /** index_stats' cadence on this server (lib/server/wiring/cadence.ts). */
  cadenceMs: number;
  bloat: { ts: Date; rows: BloatRow[] } | null;
  unavailable: string | null;
  bloatUnavailable: string | null;
  bloatThresholdPercent: number;
  minIndexBytes: number;
  statsResetAt: string | null;
}

const key = (schema: string, table: string, index: string) => `${schema}\u0000${table}\u0000${index}`;

export function toIndexRow(s: IndexStatsRow, b: BloatRow | undefined, bloatAt: Date | null): IndexRow {
  return {
    schema: s.schemaname,
    table: s.table,
    index: s.index,
    sizeBytes: s.size_bytes,
    idxScan: s.idx_scan,
    isUnique: s.is_unique,
    isPrimary: s.is_primary,
    valid: s.is_valid,
    definition: s.definition,
    unused: s.unused,
    duplicateOf: s.duplicate_of,
    bloatPercent: b?.bloat_percent ?? null,
    bloatSource: b && b.bloat_percent !== null ? (b.bloat_source ?? "estimate") : null,
    reliable: b && b.bloat_percent !== null ? (b.bloat_source === "exact" ? true : b.reliable) : null,
    unreliableReason: b && !(b.bloat_source === "exact") && b.reliable === false ? b.unreliable_reason : null,
    bloatMeasuredAt: b && bloatAt ? bloatAt.toISOString() : null,
  };
}

export function toIndexes(input: IndexesInput): IndexesResponse {
  const bloatBy = new Map((input.bloat?.rows ?? []).map((b) => [key(b.schemaname, b.tablename, b.indexname), b]));
  const rows = (input.stats?.rows ?? []).map((s) => {
    const row = toIndexRow(s, bloatBy.get(key(s.schemaname, s.table, s.index)), input.bloat?.ts ?? null);
    return { ...row, advice: indexAdvice(row, input.bloatThresholdPercent, input.minIndexBytes) };
  });
  return {
    targetId: input.targetId,
    takenAt: input.stats ? input.stats.ts.toISOString() : null,
    cadenceMs: input.cadenceMs,
    unavailable: input.unavailable,
    bloatUnavailable: input.bloatUnavailable,
    bloatThresholdPercent: input.bloatThresholdPercent,
    minIndexBytes: input.minIndexBytes,
    statsResetAt: input.statsResetAt,
    rows,
  };
}
