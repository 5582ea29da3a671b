import type { EventWrite } from "./convert";

// Which slow-statement rows become stored events. slow_query_log rows and running statements are
// slow by definition (the task asked for them with the threshold). A pg_stat_statements window is
// either over the threshold (kept) or one of the task's top statements by total time (kept so a
// heavy-but-fast statement is seen): the task emits those every 15 s window, for every role on the
// database (a monitoring exporter's statements included), which was most of the event table
// (+46 MiB/day measured). So a top-by-time window under the threshold is kept at most once per
// statement per `topEveryMs`.

const MAX_KEYS = 10_000;

export interface SlowFilterOptions {
  /** The target's slow statement threshold (default: the guidelines' 1,000 ms). */
  thresholdMs?: (targetId: string) => number;
  /** Keep a statement's under-threshold windows at most this often (default 1 hour). */
  topEveryMs?: number;
}

export function createSlowEventFilter(opts: SlowFilterOptions = {}): (e: EventWrite) => boolean {
  const threshold = opts.thresholdMs ?? (() => 1000);
  const every = opts.topEveryMs ?? 3_600_000;
  const lastKept = new Map<string, number>();
  return (e) => {
    if (e.source !== "pg_stat_statements" || e.durationMs > threshold(e.targetId)) return true;
    const key = `${e.targetId}\u0000${e.queryid ?? e.fingerprint}\u0000${e.datname ?? ""}\u0000${e.username ?? ""}`;
    const t = e.capturedAt.getTime();
    const last = lastKept.get(key);
    if (last !== undefined && t - last < every && t >= last) return false;
    // Re-inserted so the map's order is least recently kept first: the bound drops those.
    lastKept.delete(key);
    lastKept.set(key, t);
    if (lastKept.size > MAX_KEYS) lastKept.delete(lastKept.keys().next().value!);
    return true;
  };
}
