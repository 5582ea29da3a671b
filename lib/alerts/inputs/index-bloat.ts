import type { Observation, Rule } from "../types";
import { num, str, type Row } from "./values";

// index_bloat rows → one observation per index of at least minIndexBytes. The statistics
// estimate is badly wrong on deduplicated, NULL-heavy and expression indexes (PG-FACTS), so only
// an exact measurement or an estimate marked reliable gives a value; otherwise the value is
// null and the alert holds its state rather than firing or resolving on a guess.
export function indexBloatObservations(rows: Row[], rule: Rule): Observation[] {
  const out: Observation[] = [];
  for (const r of rows) {
    const schema = str(r.schemaname);
    // Column names of the index_bloat metric (indexname, tablename, index_bytes).
    const index = str(r.indexname);
    const size = num(r.index_bytes);
    if (!schema || !index || size === null || size < rule.minIndexBytes) continue;
    const trusted = r.bloat_source === "exact" || r.reliable === true;
    const pct = num(r.bloat_percent);
    out.push({
      objectKey: `${schema}.${index}`,
      value: trusted ? pct : null,
      labels: { schema, table: str(r.tablename) ?? "", index },
      details: { sizeBytes: size, source: str(r.bloat_source), reliable: r.reliable === true, unreliableReason: r.unreliable_reason ?? null },
    });
  }
  return out;
}
