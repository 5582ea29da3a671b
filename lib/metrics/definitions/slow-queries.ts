import { z } from "zod";
import { fingerprintSql } from "@/lib/analysis/sql-text";
import { createSlowQueriesTask } from "@/lib/collector/tasks/slow-queries";
import { defineMetric } from "../define";
import type { SeriesValue } from "../types";

// Slow statements from three places, one row shape:
// - slow_query_log: the application's own log (the guidelines' table), read with a cursor;
// - pg_stat_statements: per-window means from counter deltas (lib/analysis/statements.ts);
// - running: statements active longer than the threshold right now (pg_stat_activity).
// The collector runs the stateful task lib/collector/tasks/slow-queries.ts (the `task` below);
// this definition's own SQL is the stateless part (running statements over the guidelines' 1 s),
// and its row schema describes what every source yields.
// `query` is raw: the store redacts it (redactSql) before a viewer sees it.

/** Running statements; `threshold` is a SQL expression in milliseconds ($1 in the task). */
export function runningSql(serverVersionNum: number, threshold: string): string {
  const queryId = serverVersionNum >= 140000 ? "a.query_id::text" : "NULL::text";
  return `/* pgpulse */
SELECT 'running' AS source, NULL::text AS fingerprint, a.query,
       extract(epoch FROM clock_timestamp() - a.query_start)::float8 * 1000 AS duration_ms,
       1 AS calls, extract(epoch FROM clock_timestamp() - a.query_start)::float8 * 1000 AS total_ms,
       NULL::float8 AS max_ms, clock_timestamp() AS captured_at, ${queryId} AS queryid,
       a.pid, a.usename::text AS username, a.datname::text AS datname, a.query_start AS started_at,
       NULL::text AS log_id
FROM pg_stat_activity a
WHERE a.backend_type = 'client backend' AND a.state = 'active' AND a.pid <> pg_backend_pid()
  AND a.datname = current_database()
  AND clock_timestamp() - a.query_start > (${threshold})::float8 * interval '1 millisecond'
ORDER BY a.query_start`;
}

const num = z.number().nullable();

/** A row as produced by any source; the fingerprint is computed here when SQL left it null. */
const rowIn = z.object({
  source: z.enum(["slow_query_log", "pg_stat_statements", "running"]),
  fingerprint: z.string().nullable(),
  query: z.string(),
  /** Log: execution_time; statements: the window mean; running: for how long so far. */
  duration_ms: num,
  calls: z.number().int().nonnegative(),
  total_ms: num,
  max_ms: num,
  captured_at: z.date(),
  queryid: z.string().nullable(),
  pid: z.number().int().nullable(),
  username: z.string().nullable(),
  datname: z.string().nullable(),
  started_at: z.date().nullable(),
  log_id: z.string().nullable(),
});

export type SlowQueryRow = Omit<z.infer<typeof rowIn>, "fingerprint"> & { fingerprint: string };

// fingerprintSql needs the parser loaded (loadSqlParser at collector start; the task awaits it).
const row = rowIn.transform((r): SlowQueryRow => ({ ...r, fingerprint: r.fingerprint ?? fingerprintSql(r.query) }));

export const slowQueriesRow = row;

export const slowQueries = defineMetric<SlowQueryRow>({
  id: "slow_queries",
  description: "Slow statements: the application's slow_query_log, pg_stat_statements windows, and running statements",
  scope: "database",
  lane: "bulk",
  intervalMs: 15_000,
  timeoutMs: 5_000,
  sql: { 130000: runningSql(130000, "1000"), 140000: runningSql(140000, "1000") },
  row,
  hidesOwnSessions: true,
  labels: ["source", "fingerprint"],
  counters: [],
  gauges: ["duration_ms"],
  rowHistory: true,
  // One series per source, not per fingerprint: fingerprints are unbounded. The rows (kept as
  // snapshots) carry the detail; alert instances come from the rows.
  toSeries: (rows) =>
    (["slow_query_log", "pg_stat_statements", "running"] as const).flatMap((source): SeriesValue[] => {
      const mine = rows.filter((r) => r.source === source);
      const durations = mine.map((r) => r.duration_ms).filter((d): d is number => d !== null);
      return [
        { name: "slow_queries.count", labels: { source }, value: mine.length, kind: "gauge" },
        { name: "slow_queries.max_duration_ms", labels: { source }, value: durations.length ? Math.max(...durations) : null, kind: "gauge" },
      ];
    }),
  task: () => createSlowQueriesTask(),
});
