import "server-only";
import pg from "pg";
import { runSetup, type SetupAction } from "@/lib/setup/run-setup";
import { DEFAULT_EXPLAIN_ROLE } from "@/lib/setup/opt-in-grants";
import { scramVerifier } from "@/lib/setup/scram";
import { DEMO_DATABASE, DEMO_MONITOR_ROLE, DEMO_STORE_DATABASE } from "./constants";
import { applySchema, seedDemoData, type SeedProgress, type SeedResult } from "./seed";

// Everything the demo needs inside a running server: kundli_db with schema and data, the
// objects setup installs, the monitoring role, and the history store's database. Reused by the
// e2e harness with a tiny seed scale.

export interface DemoServer {
  /** Superuser URL of a database on the server. */
  url(database?: string): string;
}

export interface PrepareOptions {
  server: DemoServer;
  /** 1 = full demo size; tests use e.g. 0.01. */
  seedScale?: number;
  monitorPassword: string;
  database?: string;
  storeDatabase?: string;
  monitorRole?: string;
  onProgress?: (p: SeedProgress) => void;
}

export interface PreparedDemo {
  /** Superuser URL of kundli_db (the workload's connection). */
  adminUrl: string;
  /** The monitoring role's URL of kundli_db (the dashboard's DATABASE_URL). */
  monitorUrl: string;
  /** The planning role's URL of kundli_db (the target's explainUrl). */
  explainUrl: string;
  /** Superuser URL of the history store database. */
  storeUrl: string;
  seed: SeedResult;
  setup: SetupAction[];
  seconds: number;
}

export async function prepareDemoDatabase(opts: PrepareOptions): Promise<PreparedDemo> {
  const started = performance.now();
  const database = opts.database ?? DEMO_DATABASE;
  const storeDatabase = opts.storeDatabase ?? DEMO_STORE_DATABASE;
  const role = opts.monitorRole ?? DEMO_MONITOR_ROLE;

  for (const db of [database, storeDatabase]) await ensureDatabase(opts.server.url("postgres"), db);

  const adminUrl = opts.server.url(database);
  const client = new pg.Client({ connectionString: adminUrl, application_name: "pgpulse-demo-seed" });
  await client.connect();
  let seed: SeedResult;
  try {
    await applySchema(client);
    seed = await seedDemoData(client, { scale: opts.seedScale, onProgress: opts.onProgress });
  } finally {
    await client.end();
  }

  const { monitorUrl, explainUrl, setup } = await installMonitoring(adminUrl, role, opts.monitorPassword);
  return {
    adminUrl,
    monitorUrl,
    explainUrl,
    storeUrl: opts.server.url(storeDatabase),
    seed,
    setup,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * What `npm run setup` installs, plus the demo's monitoring role; returns that role's URL of
 * the same database.
 */
export async function installMonitoring(adminUrl: string, role: string, password: string): Promise<{ monitorUrl: string; explainUrl: string; setup: SetupAction[] }> {
  // Both opt-ins: EXPLAIN plans the application's statements as its own role, and the
  // monitoring role reads sequences' last values (the same password serves both demo roles).
  const planner = planningRoleFor(role);
  const explainRole = { name: planner, password, access: { schemas: ["public"] } };
  const setup = await runSetup({ url: adminUrl, monitorRole: { name: role, password }, explainRole, sequenceSchemas: ["public"] });
  // The role belongs to the demo: keep its password in step with the secrets file, which may
  // have been regenerated since the role was created. A verifier, never the clear text.
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    for (const name of [role, planner]) {
      const sql = await c.query<{ s: string }>(`SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text) AS s`, [name, scramVerifier(password)]);
      await c.query(sql.rows[0].s);
    }
  } finally {
    await c.end();
  }
  const monitor = new URL(adminUrl);
  monitor.username = encodeURIComponent(role);
  monitor.password = encodeURIComponent(password);
  const explain = new URL(monitor);
  explain.username = encodeURIComponent(planner);
  return { monitorUrl: monitor.toString(), explainUrl: explain.toString(), setup: setup.actions };
}

/** pgpulse_monitor → pgpulse_explain; another monitoring role name gets "_explain" appended. */
function planningRoleFor(monitorRole: string): string {
  return monitorRole === DEMO_MONITOR_ROLE ? DEFAULT_EXPLAIN_ROLE : `${monitorRole}_explain`;
}

/** Creates `database` on the server unless it exists. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database]);
    if (exists.rowCount === 0) await admin.query((await admin.query<{ s: string }>(`SELECT format('CREATE DATABASE %I', $1::text) AS s`, [database])).rows[0].s);
  } finally {
    await admin.end();
  }
}
