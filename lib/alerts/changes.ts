import { processWide } from "@/lib/process-wide";

// A count of this process's writes to the alerts and silences, per store pool: the alert list
// kept for viewers (lib/server/views/history-answers.ts) holds while it does not move. Every
// writer here calls noteAlertsChanged after its commit; another instance's writes (several on
// one store) are caught by that cache's age bound instead. One count per process: the alert
// engine writes from instrumentation's bundle, the viewers read from the route handlers'.

const counts = processWide("alertsChanged", () => new WeakMap<object, number>());

export function noteAlertsChanged(pool: object): void {
  counts.set(pool, (counts.get(pool) ?? 0) + 1);
}

export const alertsChangeCount = (pool: object): number => counts.get(pool) ?? 0;
