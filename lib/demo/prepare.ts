import "server-only";
import pg from "pg";
import { runSetup, type SetupAction } from "@/lib/setup/run-setup";
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

  const { monitorUrl, setup } = await installMonitoring(adminUrl, role, opts.monitorPassword);
  await grantSequenceReads(adminUrl, role);
  return {
    adminUrl,
    monitorUrl,
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
export async function installMonitoring(adminUrl: string, role: string, password: string): Promise<{ monitorUrl: string; setup: SetupAction[] }> {
  const setup = await runSetup({ url: adminUrl, monitorRole: { name: role, password } });
  // The role belongs to the demo: keep its password in step with the secrets file, which may
  // have been regenerated since the role was created. A verifier, never the clear text.
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const sql = await c.query<{ s: string }>(`SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text) AS s`, [role, scramVerifier(password)]);
    await c.query(sql.rows[0].s);
  } finally {
    await c.end();
  }
  const monitor = new URL(adminUrl);
  monitor.username = encodeURIComponent(role);
  monitor.password = encodeURIComponent(password);
  return { monitorUrl: monitor.toString(), setup: setup.actions };
}

/**
 * pg_monitor cannot read a sequence's last_value: the demo's role may read every sequence of
 * kundli_db, present and future (the legacy outbox is imported while the demo runs).
 */
async function grantSequenceReads(adminUrl: string, role: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    for (const template of ["GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO %I", "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON SEQUENCES TO %I"]) {
      await c.query((await c.query<{ s: string }>(`SELECT format($1, $2::text) AS s`, [template, role])).rows[0].s);
    }
  } finally {
    await c.end();
  }
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
