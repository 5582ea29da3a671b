import "server-only";
import { access } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { RestartableServer } from "@/lib/embedded/postgres";
import { cloneStandby, startStandby, waitForStreaming, type StandbyServer } from "@/lib/embedded/standby";
import { archiveCommand, prepareArchiveDir, restoreStandbyLink, setArchiveCommand } from "./operations";
import type { DemoStandbyHandle } from "./operations-schedule";

// The demo's standby of kundli_db's server and the primary's WAL archive. The standby is built
// once (a cold copy, lib/embedded/standby.ts) and reused by later runs; a standby that cannot
// start does not stop the demo: it is still watched, and shows as down.

export const STANDBY_SLOT = "kundli_standby";
export const STANDBY_APP = "kundli_standby";

/**
 * The primary's settings for streaming and archiving. archive_mode needs a restart, so it is
 * set at start; archive_command is not (ALTER SYSTEM would lose to the command line), so that
 * the archive outage can change it with a reload. archive_timeout: a segment at least every
 * `archiveTimeoutSeconds` while anything is written, as a point-in-time-recovery setup wants.
 */
export function primaryReplicationSettings(archiveTimeoutSeconds = 60): Record<string, string | number> {
  return { wal_level: "replica", max_wal_senders: 10, archive_mode: "on", archive_timeout: archiveTimeoutSeconds };
}

/** Hot standby needs max_connections (and the like) at least the primary's: 100 on both. */
const STANDBY_SETTINGS = { shared_preload_libraries: "pg_stat_statements", shared_buffers: "64MB", max_connections: 100, max_wal_senders: 10 };

/** Points archive_command at `archiveDir` (the working command, also after an outage left mid-way). */
export async function configureArchiving(adminUrl: string, archiveDir: string, dataDir: string): Promise<void> {
  await prepareArchiveDir(archiveDir, dataDir);
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await setArchiveCommand(c, archiveCommand(archiveDir));
  } finally {
    await c.end();
  }
}

export interface DemoStandby extends DemoStandbyHandle {
  /** The monitoring role's URL of the standby (its target; valid even when it is down). */
  monitorUrl: string;
  /** Null when it could not start (why in `error`). */
  server: StandbyServer | null;
  error?: string;
  /** True when this start made a fresh copy of the primary. */
  cloned: boolean;
  stop(): Promise<void>;
}

export interface DemoStandbyOptions {
  primary: RestartableServer;
  primaryDir: string;
  standbyDir: string;
  port: number;
  /** The monitoring role's URL of kundli_db on the primary. */
  monitorUrl: string;
  database: string;
  log: (line: string) => void;
}

const withPort = (url: string, port: number) => {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
};

async function slotExists(url: string, slot: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = $1`, [slot])).rowCount === 1;
  } finally {
    await c.end();
  }
}

export async function startDemoStandby(o: DemoStandbyOptions): Promise<DemoStandby> {
  const primaryUrl = o.primary.url();
  const adminUrl = withPort(o.primary.url(o.database), o.port);
  let server: StandbyServer | null = null;
  let cloned = false;
  const clone = async () => {
    o.log("  copying the primary for the standby (first run: the primary stops for the copy)…");
    await cloneStandby({ primary: o.primary, primaryDir: o.primaryDir, standbyDir: o.standbyDir, slot: STANDBY_SLOT, applicationName: STANDBY_APP });
    cloned = true;
  };
  const start = () => startStandby({ dataDir: o.standbyDir, major: o.primary.major, primaryUrl, port: o.port, settings: STANDBY_SETTINGS, timeoutMs: 60_000 });
  let error: string | undefined;
  try {
    const made = await access(path.join(o.standbyDir, "standby.signal")).then(() => true, () => false);
    // Without its slot on the primary (a primary made anew), the copy belongs to another server.
    if (!made || !(await slotExists(primaryUrl, STANDBY_SLOT))) await clone();
    try {
      server = await start();
    } catch (e) {
      if (cloned) throw e;
      o.log(`  the standby did not start (${(e as Error).message.split("\n")[0]}); copying it again`);
      await clone();
      server = await start();
    }
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      // A demo stopped while the standby was cut off left the wrong primary_conninfo behind.
      await restoreStandbyLink(c, primaryUrl, STANDBY_APP);
    } finally {
      await c.end();
    }
    await waitForStreaming(primaryUrl, STANDBY_APP, 30_000);
  } catch (e) {
    error = (e as Error).message.split("\n")[0];
  }
  const s = server;
  return {
    adminUrl,
    primaryUrl,
    applicationName: STANDBY_APP,
    monitorUrl: withPort(o.monitorUrl, o.port),
    server: s,
    error,
    cloned,
    stop: async () => s?.stop(),
  };
}
