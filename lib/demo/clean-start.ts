import "server-only";
import type pg from "pg";
import { RULE_DEFAULTS } from "@/lib/alerts/rules";
import { STAGING_TABLE, archivePartnerImport, freezeAllDatabases, reindexConcurrently, xidAges } from "./maintenance";
import { ABANDONED_SLOT, LEGACY_TABLE, MIGRATION_SCRATCH_TABLE, SESSIONS_TABLE, dropAbandonedSlot, dropMigrationScratch, legacyOutboxNarrow, recordBackup, vacuumSessions, widenLegacyOutbox } from "./operations";
import { BLOAT_INDEX, MAINTENANCE_APP_NAME, measureBloat, withClient } from "./scenarios";

// A demo stopped mid-cycle (Ctrl-C shuts PostgreSQL down under the workload; a killed process
// ends nothing) leaves behind the conditions that were on at that moment, and the next start
// would raise their alerts at once instead of at their minute. The start undoes each before the
// dashboard watches, so every scenario begins from a clean state. What each scenario leaves:
//
// - idle and long transactions, the lock chain, the connection surge, slow statements and cold
//   scans: sessions only. They end with the process's connections (PostgreSQL rolls their
//   transactions back and releases their locks) or with the server's stop.
// - the archive outage: a broken archive_command (ALTER SYSTEM, kept across restarts). Put back
//   by configureArchiving (./standby.ts), which the start runs before the seed.
// - the standby cut: primary_conninfo pointing nowhere (ALTER SYSTEM on the standby). Put back by
//   startDemoStandby (./standby.ts) before it waits for streaming.
// - the replay pause: held in the standby's memory; the start restarts the standby, which replays.
// - the reports server's maintenance stop: the start starts it.
// - everything else, on disk: undone below, each the way its own scenario ends it.

export interface CleanStartOptions {
  /** Superuser URL of kundli_db on the primary. */
  url: string;
  /** Superuser URLs of the reports server's databases (the ETL ages its transaction IDs). */
  reportsUrl?: (database?: string) => string;
}

type Undo = (c: pg.Client) => Promise<string | null>;

/** On kundli_db: each returns what it undid, or null when the scenario had left nothing. */
const ON_KUNDLI: Undo[] = [
  // sequence_exhaustion: the int4 outbox imported at 80 % of its range.
  async (c) => {
    if (!(await legacyOutboxNarrow(c))) return null;
    await widenLegacyOutbox(c);
    return `${LEGACY_TABLE}.id moved to bigint`;
  },
  // replication_slot_inactive: the abandoned slot, which also keeps WAL on disk.
  async (c) => ((await dropAbandonedSlot(c)) === null ? null : `dropped slot ${ABANDONED_SLOT}`),
  // checkpoints_requested's migration, stopped between its steps.
  async (c) => ((await dropMigrationScratch(c)) ? `dropped ${MIGRATION_SCRATCH_TABLE}` : null),
  // table_size: the partner import's staging rows.
  async (c) => {
    const there = await c.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [STAGING_TABLE]);
    if (!there.rows[0].ok || !(await c.query<{ ok: boolean }>(`SELECT EXISTS (SELECT FROM ${STAGING_TABLE}) AS ok`)).rows[0].ok) return null;
    await archivePartnerImport(c);
    return `emptied ${STAGING_TABLE}`;
  },
  // index_bloat's fix, stopped half-way: REINDEX CONCURRENTLY leaves its invalid copy
  // (…_ccnew), which every write to the table still maintains.
  async (c) => {
    const invalid = await c.query<{ drop: string }>(
      `SELECT format('DROP INDEX %s', i.indexrelid::regclass) AS drop FROM pg_index i
       WHERE i.indrelid = (SELECT indrelid FROM pg_index WHERE indexrelid = $1::regclass) AND NOT i.indisvalid`,
      [BLOAT_INDEX],
    );
    for (const r of invalid.rows) await c.query(r.drop);
    return invalid.rows.length ? `dropped ${invalid.rows.length} invalid index(es) a stopped REINDEX left` : null;
  },
  // index_bloat: the cache purge's half-empty index, rebuilt when the rule would see it.
  async (c) => {
    const b = await measureBloat(c);
    if (b.bloatPct === null || b.bloatPct <= RULE_DEFAULTS.index_bloat.threshold) return null;
    await reindexConcurrently(c);
    return `rebuilt ${b.index} (${b.bloatPct.toFixed(0)} % bloated)`;
  },
  // vacuum_behind: the sessions' dead rows, and the "no vacuum since" clock, restart from here.
  async (c) => {
    const r = await c.query<{ dead: string | null }>(`SELECT n_dead_tup AS dead FROM pg_stat_user_tables WHERE relid = to_regclass($1)`, [SESSIONS_TABLE]);
    if (!r.rows[0]) return null;
    await vacuumSessions(c);
    return `vacuumed ${SESSIONS_TABLE} (${Number(r.rows[0].dead ?? 0).toLocaleString("en-US")} dead rows)`;
  },
  // backup_stale: the newest backup is as old as the time the demo was off; the job runs now.
  async (c) => `backup job ran (${await recordBackup(c)})`,
];

/** Undoes what a stopped run left behind; returns a line per thing undone. */
export async function undoInterruptedCycle(o: CleanStartOptions): Promise<string[]> {
  const done = await withClient(o.url, MAINTENANCE_APP_NAME, async (c) => {
    const lines: string[] = [];
    for (const undo of ON_KUNDLI) {
      const line = await undo(c);
      if (line) lines.push(line);
    }
    return lines;
  });
  // xid_wraparound: an ETL whose freeze job had not run yet. The freeze is cheap on that server.
  const reportsUrl = o.reportsUrl;
  if (reportsUrl) {
    const oldest = async () => Math.max(...Object.values(await withClient(reportsUrl(), MAINTENANCE_APP_NAME, xidAges)));
    const before = await oldest();
    await freezeAllDatabases(reportsUrl);
    done.push(`froze the reports server (oldest xid age ${before.toLocaleString("en-US")} → ${(await oldest()).toLocaleString("en-US")})`);
  }
  return done;
}
