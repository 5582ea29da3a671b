import { z } from "zod";
import { defineMetric } from "../define";
import { CURRENT_LSN } from "./wal-position";

// Replication slots hold WAL back until their consumer confirms it: an abandoned slot fills the
// disk. retained_bytes is the WAL the server keeps for the slot (current position − restart_lsn;
// null for a slot that never reserved WAL). wal_status and safe_wal_size (13+) say whether
// max_slot_wal_keep_size is about to invalidate it ("unreserved", then "lost").
// Columns that arrived later read null before: two_phase (14), conflicting (16, logical slots
// only), inactive_since (17).

function sql(twoPhase: string, conflicting: string, inactiveSince: string): string {
  return `/* pgpulse */
SELECT s.slot_name::text AS slot_name, s.slot_type, s.plugin::text AS plugin, s.database::text AS database,
  s.temporary, s.active, s.active_pid,
  pg_wal_lsn_diff(${CURRENT_LSN}, s.restart_lsn)::float8 AS retained_bytes,
  s.wal_status, s.safe_wal_size::float8 AS safe_wal_size,
  ${twoPhase} AS two_phase, ${conflicting} AS conflicting, ${inactiveSince} AS inactive_since
FROM pg_replication_slots s
ORDER BY s.slot_name`;
}

const row = z.object({
  slot_name: z.string(),
  slot_type: z.enum(["physical", "logical"]),
  /** Logical decoding output plugin; null for physical slots. */
  plugin: z.string().nullable(),
  /** Logical slots belong to one database; null for physical slots. */
  database: z.string().nullable(),
  temporary: z.boolean(),
  active: z.boolean(),
  active_pid: z.number().int().nullable(),
  /** Null when the slot holds no restart_lsn (created without reserving WAL, or invalidated). */
  retained_bytes: z.number().nullable(),
  /** reserved | extended | unreserved | lost; null when restart_lsn is null. */
  wal_status: z.string().nullable(),
  /** Bytes that can still be written before the slot risks "lost"; null without max_slot_wal_keep_size. */
  safe_wal_size: z.number().nullable(),
  /** PG 14+; null before. */
  two_phase: z.boolean().nullable(),
  /** PG 16+ (null for physical slots there too); null before. */
  conflicting: z.boolean().nullable(),
  /** PG 17+; null before, and null while the slot is active. */
  inactive_since: z.date().nullable(),
});

export type ReplicationSlotRow = z.infer<typeof row>;

export const replicationSlots = defineMetric<ReplicationSlotRow>({
  id: "replication_slots",
  description: "Replication slots: type, activity and the WAL each one keeps on disk",
  scope: "cluster",
  lane: "live",
  intervalMs: 30_000,
  timeoutMs: 2_000,
  sql: {
    130000: sql("NULL::boolean", "NULL::boolean", "NULL::timestamptz"),
    140000: sql("s.two_phase", "NULL::boolean", "NULL::timestamptz"),
    160000: sql("s.two_phase", "s.conflicting", "NULL::timestamptz"),
    170000: sql("s.two_phase", "s.conflicting", "s.inactive_since"),
  },
  row,
  labels: ["slot_name"],
  counters: [],
  gauges: ["active", "retained_bytes", "safe_wal_size"],
  // One series set per slot, bounded by max_replication_slots (10 by default).
  exposed: true,
});
