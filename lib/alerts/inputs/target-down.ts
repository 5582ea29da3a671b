import { describeConnectionFailure } from "@/lib/db/connection-failure";
import type { Observation, Rule } from "../types";
import { num, str, type Row } from "./values";

// up rows → the target itself: value 1 (reachable) or 0 (down, with why). The reason is stored
// in the alert's details in our fixed words: the driver's text names hosts and roles, and the
// details reach alert summaries and everyone who reads them.
export function targetDownObservations(rows: Row[], _rule: Rule): Observation[] {
  const r = rows[0];
  if (!r) return [];
  const error = str(r.error);
  return [{ objectKey: "target", value: num(r.up), labels: {}, details: { error: error === null ? null : describeConnectionFailure({ message: error }) } }];
}
