import type { Observation, Rule } from "../types";
import { num, type Row } from "./values";

// connections row → percent of the usable connections (max_connections less the reserved ones)
// in use. Computed from total / usable when both are there; `saturation` is read as a 0–1 fraction.
export function connectionSaturationObservations(rows: Row[], _rule: Rule): Observation[] {
  const r = rows[0];
  if (!r) return [];
  const total = num(r.total);
  const usable = num(r.usable);
  const fraction = num(r.saturation);
  const pct = total !== null && usable !== null && usable > 0 ? (total / usable) * 100 : fraction !== null ? fraction * 100 : null;
  return [{ objectKey: "connections", value: pct, labels: {}, details: { total, usable, maxConnections: num(r.max_connections) } }];
}
