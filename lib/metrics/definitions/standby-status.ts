import { z } from "zod";
import { defineMetric } from "../define";

// The standby's own view of replication: how far it has received and replayed, how old the last
// replayed transaction is, whether replay is paused, the WAL receiver (pg_monitor may read all of
// pg_stat_wal_receiver), and the queries recovery cancelled in this database.
// Replay delay: now() - pg_last_xact_replay_timestamp() keeps growing on a caught-up standby of
// an idle primary, which would page someone for nothing; with nothing received beyond what is
// replayed it reads 0. It is null before the first transaction is replayed since start-up. The
// two clocks are the primary's (commit time) and the standby's (now()): a skew between the
// hosts shows here.

function sql(activeLogicalSlot: string): string {
  return `/* pgpulse */
WITH p AS (
  SELECT pg_last_wal_receive_lsn() AS received, pg_last_wal_replay_lsn() AS replayed
)
SELECT
  p.received::text AS receive_lsn,
  p.replayed::text AS replay_lsn,
  CASE WHEN p.received IS NOT DISTINCT FROM p.replayed THEN 0::float8
       ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END AS replay_delay_seconds,
  pg_wal_lsn_diff(p.received, p.replayed)::float8 AS replay_bytes_pending,
  pg_is_wal_replay_paused() AS replay_paused,
  r.status AS receiver_status,
  r.sender_host,
  r.sender_port,
  r.last_msg_receipt_time,
  c.confl_tablespace,
  c.confl_lock,
  c.confl_snapshot,
  c.confl_bufferpin,
  c.confl_deadlock,
  ${activeLogicalSlot} AS confl_active_logicalslot
FROM p
-- No row while no receiver runs (restore from an archive only, or between reconnects).
LEFT JOIN pg_stat_wal_receiver r ON true
LEFT JOIN pg_stat_database_conflicts c ON c.datname = current_database()`;
}

const lsn = z.string().regex(/^[0-9A-F]+\/[0-9A-F]+$/).nullable();
const conflicts = z.number().int().nonnegative().nullable();

const row = z.object({
  /** Null when the standby restores from an archive only (nothing streamed since start-up). */
  receive_lsn: lsn,
  replay_lsn: lsn,
  replay_delay_seconds: z.number().nullable(),
  replay_bytes_pending: z.number().nullable(),
  replay_paused: z.boolean(),
  /** streaming, starting, waiting, stopping, ...; null when no WAL receiver runs. */
  receiver_status: z.string().nullable(),
  sender_host: z.string().nullable(),
  sender_port: z.number().int().nullable(),
  last_msg_receipt_time: z.date().nullable(),
  confl_tablespace: conflicts,
  confl_lock: conflicts,
  confl_snapshot: conflicts,
  confl_bufferpin: conflicts,
  confl_deadlock: conflicts,
  /** PG 16+ (logical decoding on standbys); null before. */
  confl_active_logicalslot: conflicts,
});

export type StandbyStatusRow = z.infer<typeof row>;

export const standbyStatus = defineMetric<StandbyStatusRow>({
  id: "standby_status",
  description: "A standby's received and replayed WAL, replay delay and pause, WAL receiver and recovery conflicts",
  scope: "database",
  lane: "live",
  intervalMs: 15_000,
  timeoutMs: 2_000,
  sql: {
    130000: sql("NULL::bigint"),
    160000: sql("c.confl_active_logicalslot"),
  },
  requires: { role: "standby" },
  row,
  labels: [],
  counters: ["confl_tablespace", "confl_lock", "confl_snapshot", "confl_bufferpin", "confl_deadlock", "confl_active_logicalslot"],
  gauges: ["replay_delay_seconds", "replay_bytes_pending"],
});
