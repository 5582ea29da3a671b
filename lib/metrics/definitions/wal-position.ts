// Where WAL stands now, on either side of replication: pg_current_wal_lsn() raises an error
// during recovery, so a standby reads how far it has replayed instead (null until it has
// replayed anything). The replication engineer's `requires: { role }` is not relied on here:
// these metrics answer on a primary and on a standby alike.
export const CURRENT_LSN = "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END";
