import type { Observation, Rule } from "../types";
import { num, str, type Row } from "./values";

// sequences rows → one observation per sequence: the share of its range used, against the
// smaller of its own limit and the column type it feeds. A CYCLE sequence wraps instead of
// failing, so it never runs out. An unreadable or never-called sequence has no value: held.
export function sequenceExhaustionObservations(rows: Row[], _rule: Rule): Observation[] {
  return rows.flatMap((r) => {
    const schema = str(r.schemaname);
    const name = str(r.sequencename);
    if (!schema || !name || r.cycle === true) return [];
    const pct = num(r.percent_used);
    return [
      {
        objectKey: `sequence:${schema}.${name}`,
        value: pct,
        labels: { schema, sequence: name },
        details: {
          column: str(r.column_name),
          columnType: str(r.column_type),
          lastValue: str(r.last_value),
          limit: str(r.limit_value),
          unavailable: str(r.last_value_unavailable),
        },
      },
    ];
  });
}
