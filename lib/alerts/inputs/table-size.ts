import type { Observation, Rule } from "../types";
import { num, str, type Row } from "./values";

// table_stats rows → one observation per table. Partitioned parents already carry the summed
// size, so partitions (rows with a parent) are left out: one alert per logical table.
export function tableSizeObservations(rows: Row[], _rule: Rule): Observation[] {
  const out: Observation[] = [];
  for (const r of rows) {
    if (r.parent !== null && r.parent !== undefined) continue;
    const schema = str(r.schemaname);
    const table = str(r.relname);
    if (!schema || !table) continue;
    out.push({
      objectKey: `${schema}.${table}`,
      value: num(r.total_bytes),
      labels: { schema, table },
      details: {
        isPartitioned: r.is_partitioned === true,
        // Optional: the store's growth projection, when the row carries it.
        projectedCrossingAt: r.projected_crossing_at ?? null,
      },
    });
  }
  return out;
}
