import type { ReplicationLink, ReplicationResponse, Slot, Standby, StandbySide } from "@/lib/api/replication";
import type { ServerRole } from "@/lib/collector/types";
import { windowDelta, windowRate, type CounterSample } from "@/lib/analysis/counters";
import { replayLagSeconds } from "@/lib/alerts/inputs/replication";
import type { ArchiverViewRow, BackupViewRow, SlotRow, StandbyRow, StandbyStatusViewRow, WalViewRow } from "./replication-rows";
import type { Sample, Source } from "./snapshot-part";

// Rows of the replication metrics, counter samples from the store and the clock → the
// replication answer. Pure: nothing is read here.

/** What the snapshot knows of a watched target, for linking a primary and its standbys. */
export interface TargetIdentity {
  id: string;
  name: string;
  role: ServerRole | null;
  systemIdentifier: string | null;
}

export interface ReplicationInput {
  self: TargetIdentity;
  roleCheckedAt: Date | null;
  others: readonly TargetIdentity[];
  now: Date;
  standbys: Sample<StandbyRow> | null;
  standby: Sample<StandbyStatusViewRow> | null;
  slots: Sample<SlotRow> | null;
  wal: Sample<WalViewRow> | null;
  archiver: Sample<ArchiverViewRow> | null;
  backups: Sample<BackupViewRow> | null;
  /** wal.lsn_bytes samples over the WAL window, oldest first. */
  walPositions: CounterSample[];
  /** archiver.archived_count / failed_count samples over the archiver window, oldest first. */
  archived: CounterSample[];
  failed: CounterSample[];
  windows: { walMs: number; archiverMs: number };
  sources: { role: Source; standbys: Source; standby: Source; slots: Source; wal: Source; archiver: Source; backups: Source };
}

/**
 * Watched targets on the other side of the same replication: a physical standby keeps its
 * primary's system identifier (pg_control_system()), which nothing else shares. A primary links
 * to its standbys, a standby to its primary; standbys of one primary are not linked to each other.
 */
export function replicationLinks(self: TargetIdentity, others: readonly TargetIdentity[]): ReplicationLink[] {
  if (!self.systemIdentifier || !self.role) return [];
  const want: ServerRole = self.role === "primary" ? "standby" : "primary";
  return others
    .filter((o) => o.id !== self.id && o.systemIdentifier === self.systemIdentifier && o.role === want)
    .map((o) => ({ targetId: o.id, name: o.name, role: want }));
}

export function toStandby(r: StandbyRow): Standby {
  return {
    applicationName: r.application_name,
    clientAddr: r.client_addr,
    state: r.state,
    syncState: r.sync_state,
    sentLsn: r.sent_lsn,
    writeLsn: r.write_lsn,
    flushLsn: r.flush_lsn,
    replayLsn: r.replay_lsn,
    writeLagSeconds: r.write_lag_seconds,
    flushLagSeconds: r.flush_lag_seconds,
    replayLagSeconds: replayLagSeconds(r.replay_lag_seconds, r.replay_bytes_behind),
    sentBytesBehind: r.sent_bytes_behind,
    writeBytesBehind: r.write_bytes_behind,
    flushBytesBehind: r.flush_bytes_behind,
    replayBytesBehind: r.replay_bytes_behind,
  };
}

export function toStandbySide(r: StandbyStatusViewRow): StandbySide {
  return {
    receiveLsn: r.receive_lsn,
    replayLsn: r.replay_lsn,
    replayDelaySeconds: r.replay_delay_seconds,
    replayBytesPending: r.replay_bytes_pending,
    replayPaused: r.replay_paused,
    receiverStatus: r.receiver_status,
    senderHost: r.sender_host,
    senderPort: r.sender_port,
    lastMsgReceiptAt: r.last_msg_receipt_time,
    conflicts: {
      tablespace: r.confl_tablespace,
      lock: r.confl_lock,
      snapshot: r.confl_snapshot,
      bufferpin: r.confl_bufferpin,
      deadlock: r.confl_deadlock,
      activeLogicalSlot: r.confl_active_logicalslot,
    },
  };
}

export function toSlot(r: SlotRow): Slot {
  return {
    name: r.slot_name,
    type: r.slot_type,
    plugin: r.plugin,
    database: r.database,
    temporary: r.temporary,
    active: r.active,
    retainedBytes: r.retained_bytes,
    walStatus: r.wal_status,
    safeWalSizeBytes: r.safe_wal_size,
    inactiveSince: r.inactive_since,
  };
}

const iso = (s: { ts: Date } | null) => (s ? s.ts.toISOString() : null);
const ageSeconds = (at: string | null, now: Date) => (at === null ? null : Math.max(0, (now.getTime() - Date.parse(at)) / 1000));
const later = (a: string | null, b: string | null) => a !== null && (b === null || Date.parse(a) > Date.parse(b));

function archiverPart(input: ReplicationInput): ReplicationResponse["archiver"] {
  const a = input.archiver?.rows[0];
  return {
    takenAt: iso(input.archiver),
    ...input.sources.archiver,
    archiveMode: a?.archive_mode ?? null,
    configured: a ? a.archive_command_set === true || a.archive_library_set === true : null,
    archivedInWindow: windowDelta(input.archived).delta,
    failedInWindow: windowDelta(input.failed).delta,
    windowMs: input.windows.archiverMs,
    lastArchivedWal: a?.last_archived_wal ?? null,
    lastArchivedAt: a?.last_archived_time ?? null,
    lastArchivedAgeSeconds: ageSeconds(a?.last_archived_time ?? null, input.now),
    lastFailedWal: a?.last_failed_wal ?? null,
    lastFailedAt: a?.last_failed_time ?? null,
    failing: a ? later(a.last_failed_time, a.last_archived_time) : null,
  };
}

function backupPart(input: ReplicationInput): ReplicationResponse["backup"] {
  const b = input.backups?.rows[0];
  // The age as the target measured it at the sample, carried forward to now: one clock.
  const elapsed = input.backups ? (input.now.getTime() - input.backups.ts.getTime()) / 1000 : 0;
  return {
    takenAt: iso(input.backups),
    ...input.sources.backups,
    source: "backup_log",
    lastOk:
      b && b.last_ok_finished_at !== null
        ? {
            label: b.last_ok_label,
            finishedAt: b.last_ok_finished_at,
            ageSeconds: b.last_ok_age_seconds === null ? null : Math.max(0, b.last_ok_age_seconds + elapsed),
            sizeBytes: b.last_ok_size_bytes,
            tool: b.last_ok_tool,
          }
        : null,
    lastRun: b && b.last_finished_at !== null ? { label: b.last_label, finishedAt: b.last_finished_at, ok: b.last_ok } : null,
  };
}

export function toReplication(input: ReplicationInput): ReplicationResponse {
  const { sources } = input;
  const w = input.wal?.rows[0];
  const standby = input.standby?.rows[0];
  return {
    targetId: input.self.id,
    role: {
      role: input.self.role,
      takenAt: input.roleCheckedAt?.toISOString() ?? null,
      cadenceMs: sources.role.cadenceMs,
      links: replicationLinks(input.self, input.others),
    },
    standbys: { takenAt: iso(input.standbys), ...sources.standbys, rows: (input.standbys?.rows ?? []).map(toStandby) },
    standby: { takenAt: iso(input.standby), ...sources.standby, status: standby ? toStandbySide(standby) : null },
    slots: {
      takenAt: iso(input.slots),
      ...sources.slots,
      // The slots holding most WAL first; those holding none (or unknown) after.
      rows: (input.slots?.rows ?? []).map(toSlot).sort((a, b) => (b.retainedBytes ?? -1) - (a.retainedBytes ?? -1) || a.name.localeCompare(b.name)),
    },
    wal: {
      takenAt: iso(input.wal),
      ...sources.wal,
      bytesPerSecond: windowRate(input.walPositions),
      windowMs: input.windows.walMs,
      maxWalSizeBytes: w?.max_wal_size_bytes ?? null,
      walKeepSizeBytes: w?.wal_keep_size_bytes ?? null,
    },
    archiver: archiverPart(input),
    backup: backupPart(input),
  };
}
