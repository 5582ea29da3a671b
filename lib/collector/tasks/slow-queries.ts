import "server-only";
import type { PoolClient } from "pg";
import { z } from "zod";
import { fingerprintSql, loadSqlParser, parsesSql } from "@/lib/analysis/sql-text";
import { selectSlowWindows, statementKey, statementWindows, type StatementBaseline, type StatementCounters } from "@/lib/analysis/statements";
import type { Capabilities, TaskContext, TaskRun } from "@/lib/collector/types";
import { toDbError } from "@/lib/db/errors";
import { qualified } from "@/lib/db/ident";
import { ownPidsOn, withoutOwnSessions } from "@/lib/db/own-sessions";
import { many } from "@/lib/db/query";
import { withStatementTimeout } from "@/lib/db/statement-timeout";
import { runningSql, slowQueries, slowQueriesRow, type SlowQueryRow } from "@/lib/metrics/definitions/slow-queries";
import type { MetricResult } from "@/lib/metrics/types";

// The stateful slow-query task: a cursor over slow_query_log and a pg_stat_statements baseline
// per target, both advanced only when a run succeeds (a failed run is retried whole).

export interface SlowQueriesOptions {
  /** Entries emitted per window regardless of the threshold, by total time (default 10). */
  topN?: number;
  /** slow_query_log rows read per run (default 1000); the rest come next run. */
  logBatch?: number;
  /** How far back the first run reads slow_query_log (default one hour). */
  firstLookbackMs?: number;
}

interface TargetState {
  logCursor: { ts: string; id: string } | null;
  baseline: StatementBaseline | null;
  /** The pg_stat_statements version the baseline was read with: a change restarts it. */
  pgssVersion: string | null;
}

const logRow = z.object({
  log_id: z.string(),
  query: z.string().nullable(),
  duration_ms: z.number().nullable(),
  captured_at: z.date(),
  cursor_ts: z.string(),
});

const LOG_SQL = `/* pgpulse */
SELECT id::text AS log_id, query_text AS query,
       extract(epoch FROM execution_time)::float8 * 1000 AS duration_ms, captured_at,
       to_char(captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_ts
FROM slow_query_log
WHERE (captured_at, id) > (coalesce($1::timestamptz, now() - $3::float8 * interval '1 millisecond'),
                           coalesce($2::uuid, '00000000-0000-0000-0000-000000000000'::uuid))
ORDER BY captured_at, id
LIMIT $4`;

const pgssRow = z.object({
  userid: z.number(),
  dbid: z.number(),
  queryid: z.string(),
  toplevel: z.boolean(),
  query: z.string(),
  calls: z.number(),
  total_ms: z.number(),
  max_ms: z.number().nullable(),
  stats_since: z.date().nullable(),
  username: z.string().nullable(),
  datname: z.string().nullable(),
  read_at: z.date(),
});

type PgssEntry = StatementCounters & z.infer<typeof pgssRow>;

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split(".").map(Number);
  return a > major || (a === major && (b ?? 0) >= minor);
}

/** Columns follow the installed extension version, not the server version (PG-FACTS). */
export function pgssSql(version: string, schema: string): string {
  const exec = versionAtLeast(version, 1, 8);
  const total = exec ? "total_exec_time" : "total_time";
  const max = exec ? "max_exec_time" : "max_time";
  const toplevel = versionAtLeast(version, 1, 9) ? "s.toplevel" : "true";
  const since = versionAtLeast(version, 1, 11) ? "s.stats_since" : "NULL::timestamptz";
  return `/* pgpulse */
SELECT s.userid::bigint AS userid, s.dbid::bigint AS dbid, s.queryid::text AS queryid,
       ${toplevel} AS toplevel, s.query, s.calls, s.${total}::float8 AS total_ms,
       s.${max}::float8 AS max_ms, ${since} AS stats_since,
       r.rolname::text AS username, d.datname::text AS datname, clock_timestamp() AS read_at
FROM ${qualified(schema, "pg_stat_statements")} s
LEFT JOIN pg_roles r ON r.oid = s.userid
LEFT JOIN pg_database d ON d.oid = s.dbid
WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND s.queryid IS NOT NULL
  AND s.query NOT LIKE '%/* pgpulse%'`;
}

/**
 * pg_stat_activity keeps track_activity_query_size bytes of a statement (1 kB by default): a longer
 * one is cut, does not parse, and would get a hash of its own apart from its pg_stat_statements
 * windows. Such a running row takes the fingerprint of the statistics entry with its query_id
 * (14+; none before the statement's first completed call). Only a cut text: a queryid also joins
 * statements a fingerprint tells apart (`*` and its column list).
 */
function fingerprintCutTexts(rows: SlowQueryRow[], entries: ReadonlyArray<{ queryid: string; query: string }> | null): SlowQueryRow[] {
  if (!entries?.length) return rows;
  const fullText = new Map(entries.map((e) => [e.queryid, e.query]));
  return rows.map((r) => {
    const full = r.queryid === null ? undefined : fullText.get(r.queryid);
    return full !== undefined && !parsesSql(r.query) ? { ...r, fingerprint: fingerprintSql(full) } : r;
  });
}

export function createSlowQueriesTask(opts: SlowQueriesOptions = {}): TaskRun {
  const topN = opts.topN ?? 10;
  const logBatch = opts.logBatch ?? 1000;
  const firstLookbackMs = opts.firstLookbackMs ?? 3_600_000;
  const states = new Map<string, TargetState>();

  async function collect(client: PoolClient, ctx: TaskContext, state: TargetState, ts: Date) {
    const caps: Capabilities = ctx.caps;
    const thresholdMs = ctx.thresholds.queryTimeMs;
    const rows: SlowQueryRow[] = [];
    const next: TargetState = { ...state };

    if (caps.objects.slow_query_log) {
      const logged = await many(client, logRow, LOG_SQL, [state.logCursor?.ts ?? null, state.logCursor?.id ?? null, firstLookbackMs, logBatch], "slow_queries slow_query_log");
      for (const r of logged) {
        next.logCursor = { ts: r.cursor_ts, id: r.log_id };
        if (r.query === null) continue;
        rows.push(slowQueriesRow.parse({
          source: "slow_query_log", fingerprint: null, query: r.query, duration_ms: r.duration_ms, calls: 1,
          total_ms: r.duration_ms, max_ms: r.duration_ms, captured_at: r.captured_at, queryid: null, pid: null,
          username: null, datname: caps.database, started_at: null, log_id: r.log_id,
        }));
      }
    }

    const pgss = caps.extensions.pg_stat_statements;
    // Installed but not in shared_preload_libraries: the view raises 55000. The other sources
    // still work, so that part is skipped rather than failing the task.
    const read = pgss ? await many(client, pgssRow, pgssSql(pgss.version, pgss.schema), [], "slow_queries pg_stat_statements").catch((e: { code?: string }) => {
      if (e?.code === "55000") return null;
      throw e;
    }) : null;
    if (pgss && read) {
      const entries: PgssEntry[] = read.map((r) => ({
        ...r,
        key: statementKey(r.userid, r.dbid, r.queryid, r.toplevel),
        totalMs: r.total_ms,
        maxMs: r.max_ms,
        statsSince: r.stats_since ? r.stats_since.getTime() : null,
      }));
      const readAt = entries[0]?.read_at.getTime() ?? ts.getTime();
      // A different extension version can mean different queryids: start a new baseline.
      const prev = state.pgssVersion === pgss.version ? state.baseline : null;
      const { windows, baseline } = statementWindows(prev, entries, readAt);
      next.baseline = baseline;
      next.pgssVersion = pgss.version;
      for (const w of selectSlowWindows(windows, thresholdMs, topN)) {
        rows.push(slowQueriesRow.parse({
          source: "pg_stat_statements", fingerprint: null, query: w.entry.query, duration_ms: w.meanMs,
          calls: w.calls, total_ms: w.totalMs, max_ms: w.maxMs, captured_at: ts, queryid: w.entry.queryid,
          pid: null, username: w.entry.username, datname: w.entry.datname, started_at: null, log_id: null,
        }));
      }
    }

    const running = await many(client, slowQueriesRow, runningSql(caps.serverVersionNum, "$1"), [thresholdMs], "slow_queries running");
    rows.push(...fingerprintCutTexts(withoutOwnSessions(running, await ownPidsOn(client)), read));
    return { rows, next };
  }

  return {
    async run(ctx: TaskContext): Promise<MetricResult> {
      const ts = ctx.now();
      const started = performance.now();
      const state = states.get(ctx.targetId) ?? { logCursor: null, baseline: null, pgssVersion: null };
      try {
        await loadSqlParser();
        const { rows, next } = await withStatementTimeout(ctx.pool, slowQueries.timeoutMs, (client) => collect(client, ctx, state, ts));
        states.set(ctx.targetId, next);
        return { status: "ok", metric: slowQueries.id, targetId: ctx.targetId, ts, durationMs: performance.now() - started, rows };
      } catch (e) {
        const err = toDbError(e);
        return { status: "error", metric: slowQueries.id, targetId: ctx.targetId, ts, durationMs: performance.now() - started, error: err.message, code: err.code };
      }
    },
  };
}
