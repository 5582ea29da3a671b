import { z } from "zod";
import { defineMetric } from "../define";

// Per-database cumulative statistics. Counters are stored raw (rates come from deltas on read);
// stats_reset tells a reset apart from a quiet interval. On 15+ backends flush their counters
// up to ~1 s late (idle ones up to ~10 s), hence a 15 s cadence.

function sql(sessionColumns: string): string {
  return `/* pgpulse */
SELECT
  s.datname::text AS datname,
  s.numbackends,
  s.xact_commit, s.xact_rollback,
  s.blks_read, s.blks_hit,
  s.tup_returned, s.tup_fetched, s.tup_inserted, s.tup_updated, s.tup_deleted,
  s.conflicts, s.temp_files, s.temp_bytes, s.deadlocks,
  ${sessionColumns},
  extract(epoch FROM s.stats_reset)::float8 AS stats_reset_epoch,
  age(d.datfrozenxid) AS xid_age
FROM pg_stat_database s
JOIN pg_database d ON d.oid = s.datid
-- The row with a NULL datid holds shared catalogs' counters; templates are not watched.
WHERE s.datname NOT IN ('template0', 'template1')
ORDER BY s.datname`;
}

const counter = z.number().nonnegative();

const row = z.object({
  datname: z.string(),
  numbackends: z.number().int().nonnegative(),
  xact_commit: counter,
  xact_rollback: counter,
  blks_read: counter,
  blks_hit: counter,
  tup_returned: counter,
  tup_fetched: counter,
  tup_inserted: counter,
  tup_updated: counter,
  tup_deleted: counter,
  conflicts: counter,
  temp_files: counter,
  temp_bytes: counter,
  deadlocks: counter,
  /** Session counters appeared in 14; null on 13. */
  sessions: counter.nullable(),
  sessions_abandoned: counter.nullable(),
  sessions_fatal: counter.nullable(),
  sessions_killed: counter.nullable(),
  /** Null until the database's statistics are first reset. */
  stats_reset_epoch: z.number().nullable(),
  xid_age: z.number().int().nonnegative(),
});

export type DbStatsRow = z.infer<typeof row>;

export const dbStats = defineMetric<DbStatsRow>({
  id: "db_stats",
  description: "Per-database transactions, block and tuple counters, temp files, deadlocks, backends and wraparound age",
  scope: "cluster",
  lane: "live",
  intervalMs: 15_000,
  timeoutMs: 3_000,
  sql: {
    130000: sql("NULL::bigint AS sessions, NULL::bigint AS sessions_abandoned, NULL::bigint AS sessions_fatal, NULL::bigint AS sessions_killed"),
    140000: sql("s.sessions, s.sessions_abandoned, s.sessions_fatal, s.sessions_killed"),
  },
  row,
  labels: ["datname"],
  counters: [
    "xact_commit", "xact_rollback", "blks_read", "blks_hit",
    "tup_returned", "tup_fetched", "tup_inserted", "tup_updated", "tup_deleted",
    "conflicts", "temp_files", "temp_bytes", "deadlocks",
    "sessions", "sessions_abandoned", "sessions_fatal", "sessions_killed",
  ],
  gauges: ["numbackends", "stats_reset_epoch", "xid_age"],
  exposed: true,
});
