import "server-only";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/lib/embedded/postgres";
import type { SetupAction } from "@/lib/setup/run-setup";
import { DEMO_MONITOR_ROLE, DEMO_REPORTS_DATABASE } from "./constants";
import { ensureDatabase, installMonitoring } from "./prepare";

// The demo's second server: kundli_reports, where the nightly reporting ETL runs. It is a
// PostgreSQL of its own so that the demo can take it down for maintenance (target_down) and
// let its ETL age the transaction counter (xid_wraparound) without touching kundli_db or the
// history store, which share the first server.

export interface ReportsServer {
  port: number;
  dataDir: string;
  /** Superuser URL of a database on this server. */
  url(database?: string): string;
  /** Superuser URL of kundli_reports (the ETL's connection). */
  adminUrl: string;
  /** The monitoring role's URL of kundli_reports (the dashboard's target). */
  monitorUrl: string;
  setup: SetupAction[];
  running(): boolean;
  /** Fast shutdown: clients are disconnected, as in a planned maintenance restart. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface ReportsServerOptions {
  dataDir: string;
  /** Default: a free port. */
  port?: number;
  monitorPassword: string;
  database?: string;
}

const SETTINGS = {
  shared_preload_libraries: "pg_stat_statements",
  shared_buffers: "32MB",
  max_connections: 30,
};

export async function startReportsServer(opts: ReportsServerOptions): Promise<ReportsServer> {
  const database = opts.database ?? DEMO_REPORTS_DATABASE;
  let handle: EmbeddedServer | null = null;
  let port = opts.port;
  const boot = async () => {
    handle ??= await startEmbeddedPostgres({ dataDir: opts.dataDir, port, major: 17, persistent: true, settings: SETTINGS });
    port = handle.port;
  };
  await boot();
  // The URL does not depend on the running process (same port, same user): it stays valid
  // while the server is down for maintenance.
  const url = handle!.url;
  await ensureDatabase(url(), database);
  const { monitorUrl, setup } = await installMonitoring(url(database), DEMO_MONITOR_ROLE, opts.monitorPassword);
  return {
    port: handle!.port,
    dataDir: opts.dataDir,
    url,
    adminUrl: url(database),
    monitorUrl,
    setup,
    running: () => handle !== null,
    async stop() {
      const h = handle;
      handle = null;
      await h?.stop();
    },
    start: boot,
  };
}
