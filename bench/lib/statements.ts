import "server-only";
import type pg from "pg";

// The independent measure: what the server itself recorded in pg_stat_statements for the
// monitoring role in one database. Tasks run one at a time, so the delta between two reads is
// exactly one task run. Read as the administrator (its own reads are another userid, so they
// never count). pg_stat_statements updates its counters when a statement ends, with no flush
// lag, unlike the cumulative stats views.

export interface StatementTotals {
  calls: number;
  execMs: number;
  planMs: number;
  /** Statements without the marker comment: the collector should have none. */
  unmarkedCalls: number;
}

interface Entry {
  calls: number;
  execMs: number;
  planMs: number;
  marked: boolean;
}

export type StatementReading = Map<string, Entry>;

const READ_SQL = `
SELECT s.queryid::text AS queryid, s.toplevel, s.calls::float8 AS calls,
       s.total_exec_time::float8 AS exec_ms, s.total_plan_time::float8 AS plan_ms,
       s.query LIKE '%/* pgpulse%' AS marked
FROM pg_stat_statements s
WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = $1)
  AND s.userid = (SELECT oid FROM pg_roles WHERE rolname = $2)`;

export async function readStatements(admin: pg.Pool, database: string, role: string): Promise<StatementReading> {
  const { rows } = await admin.query<{ queryid: string; toplevel: boolean; calls: number; exec_ms: number; plan_ms: number; marked: boolean }>(
    READ_SQL,
    [database, role],
  );
  return new Map(rows.map((r) => [`${r.queryid}/${r.toplevel}`, { calls: r.calls, execMs: r.exec_ms, planMs: r.plan_ms, marked: r.marked }]));
}

/** What ran between two readings. An entry evicted meanwhile would read as negative: counted as 0. */
export function statementDelta(before: StatementReading, after: StatementReading): StatementTotals {
  const out: StatementTotals = { calls: 0, execMs: 0, planMs: 0, unmarkedCalls: 0 };
  for (const [key, a] of after) {
    const b = before.get(key) ?? { calls: 0, execMs: 0, planMs: 0, marked: a.marked };
    const calls = a.calls - b.calls;
    if (calls <= 0) continue;
    out.calls += calls;
    out.execMs += a.execMs - b.execMs;
    out.planMs += a.planMs - b.planMs;
    if (!a.marked) out.unmarkedCalls += calls;
  }
  return out;
}
