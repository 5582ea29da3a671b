import { z } from "zod";
import { defineMetric } from "../define";

// Every standby streaming from this primary, one row per walsender (pg_stat_replication, whose
// columns are the same on 13–18). The lags are the standby's own reports: null once it has caught
// up and the primary is idle (no new WAL to time), so null means "nothing to measure", not 0.
// Bytes behind are measured against pg_current_wal_lsn() in the same statement, so all four
// differences share one reference point. On a standby pg_current_wal_lsn() raises an error and
// the view is empty anyway: the metric is primary only.

const SQL = `/* pgpulse */
SELECT
  r.application_name,
  host(r.client_addr) AS client_addr,
  r.state,
  r.sync_state,
  r.sent_lsn::text AS sent_lsn,
  r.write_lsn::text AS write_lsn,
  r.flush_lsn::text AS flush_lsn,
  r.replay_lsn::text AS replay_lsn,
  extract(epoch FROM r.write_lag)::float8 AS write_lag_seconds,
  extract(epoch FROM r.flush_lag)::float8 AS flush_lag_seconds,
  extract(epoch FROM r.replay_lag)::float8 AS replay_lag_seconds,
  pg_wal_lsn_diff(w.lsn, r.sent_lsn)::float8 AS sent_bytes_behind,
  pg_wal_lsn_diff(w.lsn, r.write_lsn)::float8 AS write_bytes_behind,
  pg_wal_lsn_diff(w.lsn, r.flush_lsn)::float8 AS flush_bytes_behind,
  pg_wal_lsn_diff(w.lsn, r.replay_lsn)::float8 AS replay_bytes_behind
FROM pg_stat_replication r, (SELECT pg_current_wal_lsn() AS lsn) w
ORDER BY r.application_name, r.client_addr`;

const lsn = z.string().regex(/^[0-9A-F]+\/[0-9A-F]+$/).nullable();
const seconds = z.number().nonnegative().nullable();
// A walsender still starting up has not reported its positions yet: null, not 0.
const bytes = z.number().nullable();

const row = z.object({
  application_name: z.string(),
  /** Null for a standby connected through a Unix socket. */
  client_addr: z.string().nullable(),
  /** startup, catchup, streaming, backup, stopping; null without pg_read_all_stats. */
  state: z.string().nullable(),
  /** async, potential, sync, quorum. */
  sync_state: z.string().nullable(),
  sent_lsn: lsn,
  write_lsn: lsn,
  flush_lsn: lsn,
  replay_lsn: lsn,
  write_lag_seconds: seconds,
  flush_lag_seconds: seconds,
  replay_lag_seconds: seconds,
  sent_bytes_behind: bytes,
  write_bytes_behind: bytes,
  flush_bytes_behind: bytes,
  replay_bytes_behind: bytes,
});

export type ReplicationRow = z.infer<typeof row>;

export const replication = defineMetric<ReplicationRow>({
  id: "replication",
  description: "Standbys streaming from this primary: positions, lag in time and in bytes",
  scope: "cluster",
  lane: "live",
  intervalMs: 15_000,
  timeoutMs: 2_000,
  sql: { 130000: SQL },
  requires: { role: "primary" },
  row,
  labels: ["application_name", "client_addr"],
  counters: [],
  gauges: [
    "write_lag_seconds", "flush_lag_seconds", "replay_lag_seconds",
    "sent_bytes_behind", "write_bytes_behind", "flush_bytes_behind", "replay_bytes_behind",
  ],
  // One series per walsender: bounded by max_wal_senders (10 by default), and the standby's
  // lag is what a Prometheus alert on replication would be written against.
  exposed: true,
});
