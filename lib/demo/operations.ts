import "server-only";
import { chown, mkdir, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { primaryConninfo } from "@/lib/embedded/standby";

// The conditions the replication, WAL, archiving, backup, vacuum and sequence rules watch, each
// made the way operations cause it on a real server, and what ends each one. Each function is
// usable on its own (the demo-cycle test drives them through the workload's schedule).

type Db = pg.Client | pg.Pool;

/** ALTER SYSTEM takes no parameters: the server quotes the value (format %L), then reloads. */
async function alterSystem(db: Db, name: "archive_command" | "primary_conninfo", value: string): Promise<void> {
  const sql = await db.query<{ s: string }>(`SELECT format('ALTER SYSTEM SET %I = %L', $1::text, $2::text) AS s`, [name, value]);
  await db.query(sql.rows[0].s);
  await db.query(`SELECT pg_reload_conf()`);
}

// ── A replication slot left behind ─────────────────────────────────────────────────────────────

/** The slot of an analytics replica that was decommissioned without dropping it. */
export const ABANDONED_SLOT = "analytics_replica";

/** Reserves WAL at once (as a replica's first connection would), then nothing ever reads it. */
export async function createAbandonedSlot(db: Db, slot = ABANDONED_SLOT): Promise<void> {
  await db.query(
    `SELECT pg_create_physical_replication_slot($1, true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)`,
    [slot],
  );
}

/** The fix the alert proposes; returns the WAL it had kept, in bytes (null: no such slot). */
export async function dropAbandonedSlot(db: Db, slot = ABANDONED_SLOT): Promise<number | null> {
  const r = await db.query<{ kept: number | null }>(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 AS kept, pg_drop_replication_slot(slot_name) IS NULL AS dropped
     FROM pg_replication_slots WHERE slot_name = $1 AND NOT active`,
    [slot],
  );
  return r.rows[0]?.kept ?? null;
}

// ── WAL archiving ──────────────────────────────────────────────────────────────────────────────

function shellQuoted(dir: string): string {
  if (dir.includes("'")) throw new Error(`the archive folder ${dir} must not contain a single quote`);
  return `'${dir}'`;
}

/** Copies each finished segment into `dir`, never over an existing file (the documented form). */
export function archiveCommand(dir: string): string {
  const to = shellQuoted(`${dir}/`);
  return `test ! -f ${to}%f && cp %p ${to}%f`;
}

/**
 * The same command pointed at the new archive volume before it is mounted: `test` passes, `cp`
 * fails, and the archiver retries the segment until the command is fixed.
 */
export function brokenArchiveCommand(dir: string): string {
  return archiveCommand(`${dir}-new-volume`);
}

/** The archive folder, writable by the server's OS user (postgres when the demo runs as root). */
export async function prepareArchiveDir(dir: string, dataDir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const owner = await stat(dataDir);
  if (process.getuid?.() === 0) await chown(dir, owner.uid, owner.gid);
}

export async function setArchiveCommand(db: Db, command: string): Promise<void> {
  await alterSystem(db, "archive_command", command);
}

/**
 * Retention: keeps the newest `keep` files. archive_timeout switches segments every minute, so
 * an unpruned archive would grow by about 1 GB an hour.
 */
export async function pruneArchive(dir: string, keep: number): Promise<number> {
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  await Promise.all(old.map((n) => rm(path.join(dir, n), { force: true })));
  return old.length;
}

// ── The backup job ─────────────────────────────────────────────────────────────────────────────

/**
 * One run of the backup job, as it records itself in backup_log. The demo has no backup tool:
 * the row says what one would (label, start, end, outcome, size of the database, tool).
 */
export async function recordBackup(db: Db, label = `nightly-${new Date().toISOString().slice(0, 16)}`, ok = true): Promise<string> {
  await db.query(
    `INSERT INTO backup_log (label, started_at, finished_at, ok, size_bytes, tool)
     VALUES ($1, now() - interval '40 seconds', now(), $2, pg_database_size(current_database()), 'demo-backup')`,
    [label, ok],
  );
  return label;
}

// ── A table autovacuum never visits ────────────────────────────────────────────────────────────

export const SESSIONS_TABLE = "user_sessions";

/**
 * Login sessions, with autovacuum switched off for a bulk load long ago and never switched back
 * on. Idempotent; filled to `rows` when empty.
 */
export async function ensureSessionsTable(db: Db, rows = 30_000): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS user_sessions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT current_timestamp
  ) WITH (autovacuum_enabled = false)`);
  await db.query(`ALTER TABLE user_sessions SET (autovacuum_enabled = false)`);
  await db.query(`INSERT INTO user_sessions (token) SELECT md5(random()::text) FROM generate_series(1, $1::int) WHERE NOT EXISTS (SELECT 1 FROM user_sessions)`, [rows]);
}

/**
 * Expired sessions deleted, as many new logins inserted: the live count stays, dead rows pile up.
 * Deletes (not updates) because page pruning removes dead HOT versions without VACUUM, while a
 * deleted row with index entries stays dead until VACUUM.
 */
export async function churnSessions(db: Db, rows: number): Promise<void> {
  await db.query(`DELETE FROM user_sessions WHERE id < (SELECT min(id) FROM user_sessions) + $1::int`, [rows]);
  await db.query(`INSERT INTO user_sessions (token) SELECT md5(random()::text) FROM generate_series(1, $1::int)`, [rows]);
}

/** The fix: what autovacuum would have done. */
export async function vacuumSessions(db: Db): Promise<void> {
  await db.query(`VACUUM (ANALYZE) user_sessions`);
}

// ── Checkpoints requested, not timed ───────────────────────────────────────────────────────────

/**
 * The migration's scratch table: each step needs writes for its CHECKPOINT to flush, and the
 * rows mean nothing, so the name says it is the demo's (like demo_seed), not the application's.
 * It shows on the tables page during the burst and is dropped at its last step.
 */
export const MIGRATION_SCRATCH_TABLE = "demo_migration_scratch";

/**
 * One step of a data migration that ends every step with CHECKPOINT (its author wanted a short
 * crash recovery): a batch copied, then a checkpoint requested. A burst of such steps makes
 * most checkpoints of the hour requested rather than timed. `last` drops the scratch table.
 */
export async function checkpointedMigrationStep(db: Db, rows: number, last: boolean): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS ${MIGRATION_SCRATCH_TABLE} (day date NOT NULL, sign text NOT NULL, body text NOT NULL)`);
  await db.query(
    `INSERT INTO ${MIGRATION_SCRATCH_TABLE} SELECT current_date - (g % 365), 'sign ' || (g % 12), md5(g::text) FROM generate_series(1, $1::int) g`,
    [rows],
  );
  await db.query(`CHECKPOINT`);
  if (last) await db.query(`DROP TABLE ${MIGRATION_SCRATCH_TABLE}`);
}

/** The scratch table of a migration stopped before its last step; true when there was one. */
export async function dropMigrationScratch(db: Db): Promise<boolean> {
  const r = await db.query<{ there: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS there`, [MIGRATION_SCRATCH_TABLE]);
  if (r.rows[0].there) await db.query(`DROP TABLE IF EXISTS ${MIGRATION_SCRATCH_TABLE}`);
  return r.rows[0].there;
}

// ── A sequence near the end of its type ────────────────────────────────────────────────────────

export const LEGACY_TABLE = "sms_outbox";
/** 80 % of 2^31 - 1: past the rule's 75 % line, short of its 90 % critical one. */
const LEGACY_ID_START = 1_717_986_918;

/**
 * The SMS gateway's outbox, imported from the old system with its int4 ids: the sequence
 * continues where the old one stopped, at 80 % of the integer range. Replaces an earlier import.
 */
export async function importLegacyOutbox(db: Db): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS sms_outbox`);
  await db.query(`CREATE TABLE sms_outbox (
    id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    phone text NOT NULL,
    body text NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT current_timestamp
  )`);
  await db.query(`SELECT setval(pg_get_serial_sequence('sms_outbox', 'id'), $1::bigint)`, [LEGACY_ID_START]);
  await db.query(`INSERT INTO sms_outbox (phone, body) SELECT '+91' || (9000000000 + g)::text, 'Your daily horoscope is ready' FROM generate_series(1, 100) g`);
}

/** True while the outbox's sequence is still int4: imported, not yet widened. */
export async function legacyOutboxNarrow(db: Db): Promise<boolean> {
  const r = await db.query<{ narrow: boolean }>(
    `SELECT data_type = 'integer'::regtype AS narrow FROM pg_sequences WHERE schemaname = 'public' AND sequencename = 'sms_outbox_id_seq'`,
  );
  return r.rows[0]?.narrow === true;
}

/** The fix the alert proposes: the column and its sequence to bigint. */
export async function widenLegacyOutbox(db: Db): Promise<void> {
  await db.query(`ALTER TABLE sms_outbox ALTER COLUMN id TYPE bigint`);
  await db.query(`ALTER SEQUENCE sms_outbox_id_seq AS bigint`);
}

// ── The standby ────────────────────────────────────────────────────────────────────────────────

/** A long report on the standby: replay paused so its snapshot stays (or a DBA investigating). */
export async function pauseReplay(standby: Db): Promise<void> {
  await standby.query(`SELECT pg_wal_replay_pause()`);
}

export async function resumeReplay(standby: Db): Promise<void> {
  await standby.query(`SELECT pg_wal_replay_resume()`);
}

/**
 * A firewall change cuts the standby off: primary_conninfo is pointed at a port nothing listens
 * on (ALTER SYSTEM + reload restarts the WAL receiver with it). `restoreStandbyLink` writes the
 * right one back; the demo also calls it at start, so a demo stopped mid-cut comes back linked.
 */
export async function cutStandbyLink(standby: Db, primaryUrl: string, applicationName: string): Promise<void> {
  const elsewhere = new URL(primaryUrl);
  elsewhere.port = "1";
  await alterSystem(standby, "primary_conninfo", primaryConninfo(elsewhere.toString(), applicationName));
}

export async function restoreStandbyLink(standby: Db, primaryUrl: string, applicationName: string): Promise<void> {
  await alterSystem(standby, "primary_conninfo", primaryConninfo(primaryUrl, applicationName));
}
