import { z } from "zod";
import { bool, isoOrNull, numOrNull, strOrNull } from "./rows";

// The replication view's rows, lenient like ./rows.ts: from the snapshot (numbers, Dates) or
// from the store (after jsonb: ISO strings, numbers possibly as strings).

const boolOrNull = z.boolean().nullish().transform((v) => v ?? null);

export const standbyRow = z.object({
  application_name: z.string(),
  client_addr: strOrNull,
  state: strOrNull,
  sync_state: strOrNull,
  sent_lsn: strOrNull,
  write_lsn: strOrNull,
  flush_lsn: strOrNull,
  replay_lsn: strOrNull,
  write_lag_seconds: numOrNull,
  flush_lag_seconds: numOrNull,
  replay_lag_seconds: numOrNull,
  sent_bytes_behind: numOrNull,
  write_bytes_behind: numOrNull,
  flush_bytes_behind: numOrNull,
  replay_bytes_behind: numOrNull,
});
export type StandbyRow = z.output<typeof standbyRow>;

export const standbyStatusRow = z.object({
  receive_lsn: strOrNull,
  replay_lsn: strOrNull,
  replay_delay_seconds: numOrNull,
  replay_bytes_pending: numOrNull,
  replay_paused: bool,
  receiver_status: strOrNull,
  sender_host: strOrNull,
  sender_port: numOrNull,
  last_msg_receipt_time: isoOrNull,
  confl_tablespace: numOrNull,
  confl_lock: numOrNull,
  confl_snapshot: numOrNull,
  confl_bufferpin: numOrNull,
  confl_deadlock: numOrNull,
  confl_active_logicalslot: numOrNull,
});
export type StandbyStatusViewRow = z.output<typeof standbyStatusRow>;

export const slotRow = z.object({
  slot_name: z.string(),
  slot_type: z.enum(["physical", "logical"]),
  plugin: strOrNull,
  database: strOrNull,
  temporary: bool,
  active: bool,
  retained_bytes: numOrNull,
  wal_status: strOrNull,
  safe_wal_size: numOrNull,
  inactive_since: isoOrNull,
});
export type SlotRow = z.output<typeof slotRow>;

export const walRow = z.object({
  lsn_bytes: numOrNull,
  max_wal_size_bytes: numOrNull,
  wal_keep_size_bytes: numOrNull,
});
export type WalViewRow = z.output<typeof walRow>;

export const archiverRow = z.object({
  archived_count: numOrNull,
  failed_count: numOrNull,
  last_archived_wal: strOrNull,
  last_archived_time: isoOrNull,
  last_failed_wal: strOrNull,
  last_failed_time: isoOrNull,
  archive_mode: strOrNull,
  archive_command_set: boolOrNull,
  archive_library_set: boolOrNull,
});
export type ArchiverViewRow = z.output<typeof archiverRow>;

export const backupRow = z.object({
  last_ok_label: strOrNull,
  last_ok_finished_at: isoOrNull,
  last_ok_age_seconds: numOrNull,
  last_ok_size_bytes: numOrNull,
  last_ok_tool: strOrNull,
  last_label: strOrNull,
  last_finished_at: isoOrNull,
  last_ok: boolOrNull,
});
export type BackupViewRow = z.output<typeof backupRow>;
