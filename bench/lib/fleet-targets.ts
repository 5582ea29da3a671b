import pg from "pg";
import type { EmbeddedServer } from "@/lib/embedded/postgres";

// The fleet the bench watches: N small databases on one server, cloned from a template of 10
// empty tables; and, for the multi-instance scenario, the tables whose size makes alerts fire
// on every ALERTING_EVERY-th database (its target lowers table_size's threshold below them).

export const ALERTING_EVERY = 4;
/** The alerting targets' table_size threshold: over the hot tables, over the template's empty ones (8 KiB, their primary key). */
export const ALERT_TABLE_BYTES = 64 * 1024;
/** Firing from the start; at the kill hot_a is dropped (its episode resolves) and hot_c filled (a new one). */
const HOT_BEFORE = ["hot_a", "hot_b"];
const HOT_ROWS = 2_000; // ≈ 200 KiB with its 60-byte text: three times the threshold

export const dbName = (i: number) => `fleet_${String(i).padStart(3, "0")}`;

/** Creates fleet_000 … fleet_<n-1> from a template; returns their names. */
export async function createFleetDatabases(admin: pg.Pool, server: EmbeddedServer, n: number): Promise<string[]> {
  await admin.query("CREATE DATABASE fleet_tpl");
  const tpl = new pg.Client({ connectionString: server.url("fleet_tpl") });
  await tpl.connect();
  await tpl.query("DO $$ BEGIN FOR i IN 1..10 LOOP EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, v text)', i); END LOOP; END $$");
  await tpl.end();
  const names = Array.from({ length: n }, (_, i) => dbName(i));
  for (const name of names) await admin.query(`CREATE DATABASE ${name} TEMPLATE fleet_tpl`);
  return names;
}

async function onEach(server: EmbeddedServer, dbs: string[], sql: string): Promise<void> {
  for (const db of dbs) {
    const c = new pg.Client({ connectionString: server.url(db) });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  }
}

const fill = (table: string) => `CREATE TABLE ${table} (id int, v text); INSERT INTO ${table} SELECT g, repeat('x', 60) FROM generate_series(1, ${HOT_ROWS}) g;`;

/** Before each run: the alerting databases hold hot_a and hot_b, and no hot_c (a run's kill left it). */
export function resetHotTables(server: EmbeddedServer, dbs: string[]): Promise<void> {
  return onEach(server, dbs, `DROP TABLE IF EXISTS hot_a, hot_b, hot_c; ${HOT_BEFORE.map(fill).join(" ")}`);
}

/** At the kill: one episode per database ends, a new one begins. */
export function shiftHotTables(server: EmbeddedServer, dbs: string[]): Promise<void> {
  return onEach(server, dbs, `DROP TABLE hot_a; ${fill("hot_c")}`);
}
