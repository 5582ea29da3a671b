import { z } from "zod";
import { defineMetric } from "../define";
import type { SeriesValue } from "../types";

// Live sessions, cluster-wide. pg_stat_activity is shared memory, not cumulative stats: it is
// current at every read, so it can be sampled every few seconds.

const ms = (from: string) => `extract(epoch FROM clock_timestamp() - ${from})::float8 * 1000`;

function sql(queryId: string, lockWaitMs: string): string {
  return `/* pgpulse */
SELECT
  a.pid,
  a.datname::text AS datname,
  a.usename::text AS usename,
  a.application_name,
  a.client_addr::text AS client_addr,
  a.state,
  a.wait_event_type,
  a.wait_event,
  a.backend_start,
  a.xact_start,
  a.query_start,
  a.state_change,
  a.query,
  ${queryId} AS query_id,
  -- pg_blocking_pids takes the lock manager's locks: only ask for sessions that can be blocked
  -- (heavyweight lock or safe-snapshot waits) and for hidden rows, whose wait is not visible.
  CASE WHEN a.wait_event_type = 'Lock' OR a.wait_event = 'SafeSnapshot' OR a.state IS NULL
       THEN pg_blocking_pids(a.pid) ELSE '{}'::int[] END AS blocked_by,
  CASE WHEN a.state = 'active' THEN ${ms("a.query_start")} END AS query_ms,
  ${ms("a.xact_start")} AS xact_ms,
  ${ms("a.state_change")} AS state_ms,
  CASE WHEN a.wait_event_type = 'Lock' THEN ${lockWaitMs} END AS lock_wait_ms,
  (a.state IS NULL AND a.query = '<insufficient privilege>') AS hidden
FROM pg_stat_activity a
WHERE (
    a.backend_type = 'client backend'
    -- Without pg_read_all_stats, other users' rows have a NULL backend_type (13 through 18):
    -- keep those with a database and a user (client sessions; background processes have neither).
    OR (a.backend_type IS NULL AND a.datid IS NOT NULL AND a.usesysid IS NOT NULL)
  )
  AND a.pid <> pg_backend_pid()
ORDER BY a.pid`;
}

const ts = z.date().nullable();
const num = z.number().nullable();

const row = z.object({
  pid: z.number().int(),
  datname: z.string().nullable(),
  usename: z.string().nullable(),
  application_name: z.string().nullable(),
  client_addr: z.string().nullable(),
  state: z.string().nullable(),
  wait_event_type: z.string().nullable(),
  wait_event: z.string().nullable(),
  backend_start: ts,
  xact_start: ts,
  query_start: ts,
  state_change: ts,
  query: z.string().nullable(),
  /** Text, not a number: a 64-bit hash loses precision as a JS number. PG 14+, else null. */
  query_id: z.string().nullable(),
  blocked_by: z.array(z.number().int()),
  query_ms: num,
  xact_ms: num,
  state_ms: num,
  lock_wait_ms: num,
  hidden: z.boolean(),
});

export type StatActivityRow = z.infer<typeof row>;

const maxSeconds = (values: (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? Math.max(...present) / 1000 : null;
};

/** Session counts and the longest waits, as unlabelled gauges. */
export function activitySeries(rows: StatActivityRow[]): SeriesValue[] {
  const count = (pred: (r: StatActivityRow) => boolean) => rows.filter(pred).length;
  const active = rows.filter((r) => r.state === "active");
  const idleInXact = rows.filter((r) => r.state === "idle in transaction" || r.state === "idle in transaction (aborted)");
  const values: Record<string, number | null> = {
    total: rows.length,
    active: active.length,
    idle: count((r) => r.state === "idle"),
    idle_in_transaction: idleInXact.length,
    waiting_lock: count((r) => r.wait_event_type === "Lock"),
    blocked: count((r) => r.blocked_by.length > 0),
    hidden: count((r) => r.hidden),
    longest_query_seconds: maxSeconds(active.map((r) => r.query_ms)),
    longest_xact_seconds: maxSeconds(rows.map((r) => r.xact_ms)),
    longest_idle_in_transaction_seconds: maxSeconds(idleInXact.map((r) => r.state_ms)),
    longest_lock_wait_seconds: maxSeconds(rows.map((r) => r.lock_wait_ms)),
  };
  return Object.entries(values).map(([k, value]) => ({ name: `stat_activity.${k}`, labels: {}, value, kind: "gauge" }));
}

export const statActivity = defineMetric<StatActivityRow>({
  id: "stat_activity",
  description: "Client sessions: state, waits, blockers and running times (pgpulse's own excluded)",
  scope: "cluster",
  lane: "live",
  intervalMs: 3_000,
  timeoutMs: 2_000,
  sql: {
    // 13 has no query_id, nor pg_locks.waitstart: a lock wait is timed from query start.
    130000: sql("NULL::text", ms("a.query_start")),
    // 14: query_id in pg_stat_activity, and pg_locks.waitstart for the real start of a lock wait.
    140000: sql(
      "a.query_id::text",
      `coalesce((SELECT ${ms("min(l.waitstart)")} FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted), ${ms("a.query_start")})`,
    ),
  },
  row,
  // pgpulse's other sessions are dropped by pid after the query, not by name in it.
  hidesOwnSessions: true,
  labels: ["pid"],
  counters: [],
  gauges: [],
  toSeries: activitySeries,
  exposed: true,
});
