// Per-window figures from pg_stat_statements' cumulative counters. The extension never resets
// on our behalf (we never call pg_stat_statements_reset: DBAs and other tools rely on the
// counters), so each window is the difference between two reads.
//
// Decisions:
// - The first read is a baseline only: nothing is emitted, the counters' age is unknown.
// - An entry absent from the previous read had no call yet at that read (every read sees every
//   executed entry of the database), so it is counted from zero. Its stats_since may be older
//   than the previous read: pg_stat_statements creates the entry when the statement is parsed
//   and hides it until its first call completes (a pg_sleep running across a read).
// - Calls or total time going down, or a changed stats_since, is a reset (pg_stat_statements_reset,
//   eviction past pg_stat_statements.max and re-creation, a crash): skipped for this window.
// - max is cumulative: only an entry counted from zero has a window max.

export interface StatementCounters {
  /** (userid, dbid, queryid, toplevel): the identity of a pg_stat_statements entry. */
  key: string;
  calls: number;
  totalMs: number;
  maxMs: number | null;
  /** stats_since (1.11+) in epoch ms, else null. */
  statsSince: number | null;
}

export interface StatementBaseline {
  /** Server time of the read, epoch ms. */
  readAt: number;
  entries: Map<string, StatementCounters>;
}

export interface StatementWindow<T extends StatementCounters = StatementCounters> {
  entry: T;
  calls: number;
  totalMs: number;
  meanMs: number;
  maxMs: number | null;
  fromZero: boolean;
}

export interface WindowsResult<T extends StatementCounters> {
  windows: StatementWindow<T>[];
  baseline: StatementBaseline;
  /** Entries skipped because their counters were reset or their baseline is unknown. */
  skipped: number;
}

export function statementKey(userid: number | string, dbid: number | string, queryid: string, toplevel: boolean): string {
  return `${userid}:${dbid}:${queryid}:${toplevel ? 1 : 0}`;
}

/** Windows with at least one call since `prev`, and the next baseline. */
export function statementWindows<T extends StatementCounters>(
  prev: StatementBaseline | null,
  current: T[],
  readAt: number,
): WindowsResult<T> {
  const entries = new Map<string, StatementCounters>();
  for (const e of current) entries.set(e.key, { key: e.key, calls: e.calls, totalMs: e.totalMs, maxMs: e.maxMs, statsSince: e.statsSince });
  const baseline = { readAt, entries };
  if (!prev) return { windows: [], baseline, skipped: 0 };

  const windows: StatementWindow<T>[] = [];
  let skipped = 0;
  for (const e of current) {
    const before = prev.entries.get(e.key);
    if (!before) {
      if (e.calls > 0) windows.push({ entry: e, calls: e.calls, totalMs: e.totalMs, meanMs: e.totalMs / e.calls, maxMs: e.maxMs, fromZero: true });
      continue;
    }
    const reset =
      (before.statsSince ?? null) !== (e.statsSince ?? null) ||
      e.calls < before.calls ||
      // Float sums: tolerate rounding, not a real decrease.
      e.totalMs < before.totalMs - 1e-6;
    if (reset) {
      skipped++;
      continue;
    }
    const calls = e.calls - before.calls;
    if (calls <= 0) continue;
    const totalMs = Math.max(0, e.totalMs - before.totalMs);
    windows.push({ entry: e, calls, totalMs, meanMs: totalMs / calls, maxMs: null, fromZero: false });
  }
  return { windows, baseline, skipped };
}

/** Windows whose mean exceeds the threshold, plus the top N by total time; by total time, descending. */
export function selectSlowWindows<T extends StatementCounters>(windows: StatementWindow<T>[], thresholdMs: number, topN: number): StatementWindow<T>[] {
  const byTotal = [...windows].sort((a, b) => b.totalMs - a.totalMs);
  const top = new Set(byTotal.slice(0, Math.max(0, topN)).filter((w) => w.totalMs > 0));
  return byTotal.filter((w) => w.meanMs > thresholdMs || top.has(w));
}
