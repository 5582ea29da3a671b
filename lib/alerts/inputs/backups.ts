import type { Observation, Rule } from "../types";
import { num, str, type Row } from "./values";

// backups row → one observation: the age of the newest successful backup. With runs logged but
// none successful there is nothing to restore from: forced. An empty log (the job not yet run)
// gives no value, so it neither fires nor resolves.
export function backupStaleObservations(rows: Row[], _rule: Rule): Observation[] {
  const r = rows[0];
  if (!r) return [];
  const age = num(r.last_ok_age_seconds);
  const neverOk = age === null && r.last_finished_at !== null && r.last_finished_at !== undefined;
  return [
    {
      objectKey: "backups",
      value: age,
      ...(neverOk ? { forced: "runs logged, none successful" } : {}),
      labels: {},
      details: { lastOkLabel: str(r.last_ok_label), lastOkFinishedAt: r.last_ok_finished_at ?? null, lastRunOk: r.last_ok ?? null, lastLabel: str(r.last_label) },
    },
  ];
}
