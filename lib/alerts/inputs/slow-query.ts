import type { Observation, Rule } from "../types";
import { num, str, truncate, type Row } from "./values";

// slow_queries rows → one observation per fingerprint: the slowest occurrence in this result.
// A slow_query_log row, a running statement and a pg_stat_statements window mean all count.
export function slowQueryObservations(rows: Row[], _rule: Rule): Observation[] {
  const byFingerprint = new Map<string, Observation>();
  for (const r of rows) {
    const fp = str(r.fingerprint);
    const ms = num(r.duration_ms);
    if (!fp || ms === null) continue;
    const prev = byFingerprint.get(fp);
    if (prev && (prev.value ?? -Infinity) >= ms) continue;
    byFingerprint.set(fp, {
      objectKey: fp,
      value: ms,
      labels: { fingerprint: fp, source: str(r.source) ?? "unknown" },
      details: { query: truncate(str(r.query)), source: str(r.source), calls: num(r.calls), capturedAt: r.captured_at ?? null },
    });
  }
  return [...byFingerprint.values()];
}
