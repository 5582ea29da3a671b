import { breaches } from "../evaluate";
import type { Observation, Rule } from "../types";
import { num, str, truncate, type Row } from "./values";

// slow_queries rows → one observation per fingerprint: the slowest occurrence over the rule's line
// in this result. A slow_query_log row, a running statement and a pg_stat_statements window mean
// all count. The task also reports each window's top statements by total time whatever their mean
// (for the queries page): those under the line are no occurrence. Left in, they would be read as
// "seen, not slow" and become a firing episode's value (a slow run's alert saying 0.2 ms).
export function slowQueryObservations(rows: Row[], rule: Rule): Observation[] {
  const byFingerprint = new Map<string, Observation>();
  for (const r of rows) {
    const fp = str(r.fingerprint);
    const ms = num(r.duration_ms);
    if (!fp || ms === null || !breaches(rule, ms, false)) continue;
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
