import "server-only";
import { startRestartablePostgres, type RestartableServer } from "@/lib/embedded/postgres";
import type { SetupAction } from "@/lib/setup/run-setup";
import { DEMO_MONITOR_ROLE, DEMO_REPORTS_DATABASE } from "./constants";
import { ensureDatabase, installMonitoring } from "./prepare";

// The demo's second server: kundli_reports, where the nightly reporting ETL runs. It is a
// PostgreSQL of its own so that the demo can take it down for maintenance (target_down) and
// let its ETL age the transaction counter (xid_wraparound) without touching kundli_db or the
// history store, which share the first server.

export interface ReportsServer extends RestartableServer {
  /** Superuser URL of kundli_reports (the ETL's connection). */
  adminUrl: string;
  /** The monitoring role's URL of kundli_reports (the dashboard's target). */
  monitorUrl: string;
  /** The planning role's URL of kundli_reports (the target's explainUrl). */
  explainUrl: string;
  setup: SetupAction[];
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
  const server = await startRestartablePostgres({ dataDir: opts.dataDir, port: opts.port, major: 17, settings: SETTINGS });
  await ensureDatabase(server.url(), database);
  const { monitorUrl, explainUrl, setup } = await installMonitoring(server.url(database), DEMO_MONITOR_ROLE, opts.monitorPassword);
  return { ...server, adminUrl: server.url(database), monitorUrl, explainUrl, setup };
}
