import type { Observation, Rule } from "../types";
import { num, str, type Row } from "./values";

// up rows → the target itself: value 1 (reachable) or 0 (down, with the error).
export function targetDownObservations(rows: Row[], _rule: Rule): Observation[] {
  const r = rows[0];
  if (!r) return [];
  return [{ objectKey: "target", value: num(r.up), labels: {}, details: { error: str(r.error) } }];
}
