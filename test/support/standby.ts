import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startRestartablePostgres, type PgMajor, type RestartableServer } from "@/lib/embedded/postgres";
import { cloneStandby, startStandby, waitForStreaming, type StandbyServer } from "@/lib/embedded/standby";

// A primary and a real streaming standby of it (PostgreSQL 17 unless another major is asked),
// in a temporary folder, built by lib/embedded/standby.ts as the demo builds its own.

const SLOT = "pgpulse_standby";
export const STANDBY_APP = "pgpulse_standby";

export interface StandbyPair {
  primary: RestartableServer;
  standby: StandbyServer;
  /** Stops both and removes their directories. */
  close(): Promise<void>;
}

export async function startStandbyPair(major: PgMajor = 17): Promise<StandbyPair> {
  const root = await mkdtemp(path.join(os.tmpdir(), "pgpulse-standby-"));
  // As root the servers run as "postgres", which must reach both directories.
  await chmod(root, 0o755);
  const primaryDir = path.join(root, "primary");
  const standbyDir = path.join(root, "standby");
  // Defaults already allow streaming (wal_level=replica, 10 WAL senders); named so a change of
  // defaults cannot silently break the harness. The standby must not have fewer of either.
  const settings = { wal_level: "replica", max_wal_senders: 5, max_connections: 100 };
  const primary = await startRestartablePostgres({ major, dataDir: primaryDir, settings });
  let standby: StandbyServer | undefined;
  try {
    await cloneStandby({ primary, primaryDir, standbyDir, slot: SLOT, applicationName: STANDBY_APP });
    standby = await startStandby({ dataDir: standbyDir, major, primaryUrl: primary.url(), settings });
    await waitForStreaming(primary.url(), STANDBY_APP);
    const s = standby;
    return {
      primary,
      standby: s,
      async close() {
        await s.stop().catch(() => {});
        await primary.stop().catch(() => {});
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await standby?.stop().catch(() => {});
    await primary.stop().catch(() => {});
    await rm(root, { recursive: true, force: true });
    throw e;
  }
}
