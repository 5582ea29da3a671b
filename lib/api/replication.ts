import { z } from "zod";
import { cadenceMsSchema, nullableInt, nullableIso, nullableNumber, serverRoleSchema, unavailableSchema } from "./common";

// GET /api/targets/{id}/replication — the target's side of replication, its standbys or its own
// replay, its slots, the WAL it writes, archiving and the newest backup. Each part comes from its
// own metric and carries its own sample time and cadence; a part that does not apply on this side
// (standbys on a standby) or cannot be read says "unavailable: …" with the reason.

const source = {
  takenAt: nullableIso,
  cadenceMs: cadenceMsSchema,
  unavailable: unavailableSchema,
};

const lsn = z.string().nullable();

export const standbySchema = z.object({
  applicationName: z.string(),
  /** Null for a standby connected through a Unix socket. */
  clientAddr: z.string().nullable(),
  state: z.string().nullable(),
  syncState: z.string().nullable(),
  sentLsn: lsn,
  writeLsn: lsn,
  flushLsn: lsn,
  replayLsn: lsn,
  /** The standby's own reports; null once it caught up with an idle primary (nothing to time). */
  writeLagSeconds: nullableNumber,
  flushLagSeconds: nullableNumber,
  replayLagSeconds: nullableNumber,
  /** pg_wal_lsn_diff(pg_current_wal_lsn(), …) in the same statement. */
  sentBytesBehind: nullableNumber,
  writeBytesBehind: nullableNumber,
  flushBytesBehind: nullableNumber,
  replayBytesBehind: nullableNumber,
});
export type Standby = z.infer<typeof standbySchema>;

export const standbySideSchema = z.object({
  receiveLsn: lsn,
  replayLsn: lsn,
  /** now() − the last replayed commit; 0 when nothing received is left to replay. */
  replayDelaySeconds: nullableNumber,
  replayBytesPending: nullableNumber,
  replayPaused: z.boolean(),
  /** streaming, starting, waiting, …; null when no WAL receiver runs. */
  receiverStatus: z.string().nullable(),
  senderHost: z.string().nullable(),
  senderPort: nullableInt,
  lastMsgReceiptAt: nullableIso,
  /** Queries cancelled by recovery in this database, since the statistics were reset. */
  conflicts: z.object({
    tablespace: nullableInt,
    lock: nullableInt,
    snapshot: nullableInt,
    bufferpin: nullableInt,
    deadlock: nullableInt,
    /** PostgreSQL 16+; null before. */
    activeLogicalSlot: nullableInt,
  }),
});
export type StandbySide = z.infer<typeof standbySideSchema>;

export const slotSchema = z.object({
  name: z.string(),
  type: z.enum(["physical", "logical"]),
  plugin: z.string().nullable(),
  database: z.string().nullable(),
  temporary: z.boolean(),
  active: z.boolean(),
  /** WAL kept for the slot: pg_wal_lsn_diff(current, restart_lsn); null without a restart_lsn. */
  retainedBytes: nullableNumber,
  /** reserved | extended | unreserved | lost; null without a restart_lsn. */
  walStatus: z.string().nullable(),
  /** Null without max_slot_wal_keep_size. */
  safeWalSizeBytes: nullableNumber,
  /** PostgreSQL 17+; null before and while active. */
  inactiveSince: nullableIso,
});
export type Slot = z.infer<typeof slotSchema>;

/** Another watched target on the other side of the same replication (same system identifier). */
export const linkSchema = z.object({ targetId: z.string(), name: z.string(), role: serverRoleSchema });
export type ReplicationLink = z.infer<typeof linkSchema>;

export const replicationResponseSchema = z.object({
  targetId: z.string(),
  role: z.object({
    /** Null before the first probe. */
    role: serverRoleSchema.nullable(),
    takenAt: nullableIso,
    cadenceMs: cadenceMsSchema,
    /** A standby's primary, or a primary's standbys, among the watched targets. */
    links: z.array(linkSchema),
  }),
  standbys: z.object({ ...source, rows: z.array(standbySchema) }),
  standby: z.object({ ...source, status: standbySideSchema.nullable() }),
  slots: z.object({ ...source, rows: z.array(slotSchema) }),
  wal: z.object({
    ...source,
    /** From WAL position deltas over `windowMs`; null with fewer than two samples or across a reset only. */
    bytesPerSecond: nullableNumber,
    windowMs: z.number().int().positive(),
    maxWalSizeBytes: nullableNumber,
    walKeepSizeBytes: nullableNumber,
  }),
  archiver: z.object({
    ...source,
    archiveMode: z.string().nullable(),
    /** archive_command or archive_library set. */
    configured: z.boolean().nullable(),
    /** Segments archived / failed within `windowMs`, from counter deltas; null with too few samples. */
    archivedInWindow: nullableInt,
    failedInWindow: nullableInt,
    windowMs: z.number().int().positive(),
    lastArchivedWal: z.string().nullable(),
    lastArchivedAt: nullableIso,
    lastArchivedAgeSeconds: nullableNumber,
    lastFailedWal: z.string().nullable(),
    lastFailedAt: nullableIso,
    /** The last failure is newer than the last success. */
    failing: z.boolean().nullable(),
  }),
  backup: z.object({
    ...source,
    /** Where the figures come from: the backup job's own backup_log table. */
    source: z.literal("backup_log"),
    lastOk: z
      .object({ label: z.string().nullable(), finishedAt: nullableIso, ageSeconds: nullableNumber, sizeBytes: nullableNumber, tool: z.string().nullable() })
      .nullable(),
    lastRun: z.object({ label: z.string().nullable(), finishedAt: nullableIso, ok: z.boolean().nullable() }).nullable(),
  }),
});
export type ReplicationResponse = z.infer<typeof replicationResponseSchema>;
