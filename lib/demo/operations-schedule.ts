import "server-only";
import type pg from "pg";
import {
  ABANDONED_SLOT,
  LEGACY_TABLE,
  SESSIONS_TABLE,
  archiveCommand,
  brokenArchiveCommand,
  checkpointedMigrationStep,
  churnSessions,
  createAbandonedSlot,
  cutStandbyLink,
  dropAbandonedSlot,
  ensureSessionsTable,
  importLegacyOutbox,
  pauseReplay,
  pruneArchive,
  recordBackup,
  restoreStandbyLink,
  resumeReplay,
  setArchiveCommand,
  vacuumSessions,
  widenLegacyOutbox,
} from "./operations";
import { MAINTENANCE_APP_NAME } from "./scenarios";
import type { Burst, Episode, Scheduler } from "./scheduler";

// The operations side of the demo's schedule: a slot left behind, an archive outage, the backup
// job with a missed run, a table autovacuum never visits, a sequence near its end, a migration
// that requests a checkpoint after every step, and the standby paused and cut off. Each condition is followed by what a DBA would do about it.

export interface OperationsSchedule {
  /** An abandoned physical slot retains WAL; dropped `holdMs` later. */
  abandonedSlot: Episode;
  /** archive_command pointed at an unmounted volume; fixed `holdMs` later. */
  archiveOutage: Episode;
  /** Every `everyMs` the archive keeps its newest `keep` segments. */
  archiveRetention: { everyMs: number; keep: number };
  /** The backup job every `everyMs`; runs numbered `missOffset` modulo `missEvery` are missed. */
  backups: { startMs: number; everyMs: number; missEvery: number; missOffset: number };
  /** Sessions churn every `churnEveryMs`; VACUUM at `vacuumAtMs`, then every `periodMs`. */
  sessions: { churnEveryMs: number; churnRows: number; vacuumAtMs: number; periodMs: number };
  /**
   * A migration step (a batch and a CHECKPOINT) every `everyMs` during `forMs`; it ends by itself,
   * and checkpoints_requested resolves once the burst has left the rule's window.
   */
  checkpointBurst: Burst;
  /** The int4 outbox imported at 80 % of its range; widened to bigint `holdMs` later. */
  legacySequence: Episode;
  /** Replay paused on the standby; resumed `holdMs` later. */
  replayPause: Episode;
  /** The standby's link to the primary cut; restored `holdMs` later. */
  standbyCut: Episode;
}

export interface DemoStandbyHandle {
  /** Superuser URL of the standby (pg_wal_replay_pause, ALTER SYSTEM). */
  adminUrl: string;
  /** Superuser URL of the primary: primary_conninfo is built from it. */
  primaryUrl: string;
  applicationName: string;
}

export interface OperationsOptions {
  /** Superuser URL of kundli_db on the primary. */
  url: string;
  /** The application's pool: short statements (session churn, the backup job's row) go through it. */
  pool: pg.Pool;
  /** The WAL archive folder (archive_mode is on): without it, no archive outage. */
  archiveDir?: string;
  /** Without it, no replay pause or standby cut. */
  standby?: DemoStandbyHandle;
  log: (line: string) => void;
  job: <T>(url: string, name: string, fn: (c: pg.Client) => Promise<T>) => Promise<T>;
}

const mb = (bytes: number | null) => (bytes === null ? "unknown" : `${(bytes / 1048576).toFixed(0)} MB`);
const minutes = (ms: number) => `${(ms / 60_000).toFixed(ms < 60_000 ? 2 : 0)} min`;

export async function scheduleOperations(clock: Scheduler, s: OperationsSchedule, o: OperationsOptions): Promise<void> {
  const { url, pool, log, job } = o;
  const admin = <T>(fn: (c: pg.Client) => Promise<T>) => job(url, MAINTENANCE_APP_NAME, fn);
  await ensureSessionsTable(pool);

  clock.episodes("abandoned replication slot", s.abandonedSlot, false, async () => {
    await admin((c) => createAbandonedSlot(c));
    log(`workload: replication slot ${ABANDONED_SLOT} left behind by a decommissioned replica; dropped in ${minutes(s.abandonedSlot.holdMs)}`);
    return async () => {
      const kept = await admin((c) => dropAbandonedSlot(c));
      log(`workload: dropped slot ${ABANDONED_SLOT} (it held ${mb(kept)} of WAL)`);
    };
  });

  const archiveDir = o.archiveDir;
  if (archiveDir) {
    clock.every(s.archiveRetention.everyMs, s.archiveRetention.everyMs, "archive retention", () => pruneArchive(archiveDir, s.archiveRetention.keep));
    clock.episodes("archive outage", s.archiveOutage, true, async () => {
      await admin((c) => setArchiveCommand(c, brokenArchiveCommand(archiveDir)));
      log(`workload: archive_command now points at an archive volume that is not mounted; fixed in ${minutes(s.archiveOutage.holdMs)}`);
      return async () => {
        await admin((c) => setArchiveCommand(c, archiveCommand(archiveDir)));
        log(`workload: archive_command fixed (reload); the archiver catches up`);
      };
    });
  }

  let run = 0;
  clock.every(s.backups.startMs, s.backups.everyMs, "backup job", async () => {
    const n = run++;
    if (n % s.backups.missEvery === s.backups.missOffset) {
      log(`workload: the backup job missed its run (the backup host was down); the next one is in ${minutes(s.backups.everyMs)}`);
      return;
    }
    const label = await recordBackup(pool);
    log(`workload: backup job: ${label} ok (backup_log)`);
  });

  clock.every(s.sessions.churnEveryMs, s.sessions.churnEveryMs, "session churn", () => churnSessions(pool, s.sessions.churnRows));
  clock.every(s.sessions.vacuumAtMs, s.sessions.periodMs, "sessions vacuum", async () => {
    await admin(vacuumSessions);
    log(`workload: VACUUM (ANALYZE) ${SESSIONS_TABLE} (its autovacuum is off)`);
  });

  const steps = Math.ceil(s.checkpointBurst.forMs / s.checkpointBurst.everyMs);
  let step = 0;
  clock.burst("checkpointed migration", s.checkpointBurst, async () => {
    const n = step++ % steps;
    await admin((c) => checkpointedMigrationStep(c, 20_000, n === steps - 1));
    log(`workload: migration step ${n + 1}/${steps} copied 20,000 rows and ran CHECKPOINT${n === steps - 1 ? " (done: scratch table dropped)" : ""}`);
  });

  clock.episodes("legacy outbox import", s.legacySequence, false, async () => {
    await admin(importLegacyOutbox);
    log(`workload: ${LEGACY_TABLE} imported with int4 ids at 80 % of their range; widened to bigint in ${minutes(s.legacySequence.holdMs)}`);
    return async () => {
      await admin(widenLegacyOutbox);
      log(`workload: ${LEGACY_TABLE}.id and its sequence moved to bigint`);
    };
  });

  const sb = o.standby;
  if (sb) {
    const onStandby = <T>(fn: (c: pg.Client) => Promise<T>) => job(sb.adminUrl, MAINTENANCE_APP_NAME, fn);
    clock.episodes("standby replay pause", s.replayPause, true, async () => {
      await onStandby(pauseReplay);
      log(`workload: replay paused on the standby; resumed in ${minutes(s.replayPause.holdMs)}`);
      return async () => {
        await onStandby(resumeReplay);
        log(`workload: replay resumed on the standby`);
      };
    });
    clock.episodes("standby cut off", s.standbyCut, true, async () => {
      await onStandby((c) => cutStandbyLink(c, sb.primaryUrl, sb.applicationName));
      log(`workload: the standby is cut off from the primary (primary_conninfo); restored in ${minutes(s.standbyCut.holdMs)}`);
      return async () => {
        await onStandby((c) => restoreStandbyLink(c, sb.primaryUrl, sb.applicationName));
        log(`workload: the standby's link to the primary restored`);
      };
    });
  }
}
