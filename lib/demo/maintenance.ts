import "server-only";
import type pg from "pg";
import { BLOAT_INDEX, MAINTENANCE_APP_NAME, measureBloat, withClient, type BloatResult } from "./scenarios";

// The conditions that need a second step to go away, each with the job that ends it the way a
// DBA would: a staging table that grows past the size line and is archived, a bloated index
// rebuilt with the command the Tables page suggests, a batch job that burns transaction IDs and
// the freeze that follows it. Every function is usable on its own (the tests drive them).

type Db = pg.Client | pg.Pool;

/**
 * The partner feed's import lands in a staging table of its own (not in the guidelines' schema:
 * the demo's), a batch at a time, until the table passes `targetBytes` in total size.
 * Payloads are ≈ 1 kB of hex: below the TOAST threshold, so nothing is compressed and the
 * size on disk is what was written.
 */
export const STAGING_TABLE = "chart_import_staging";

export interface ImportOptions {
  targetBytes: number;
  batchRows?: number;
  /** Pause between batches: the growth shows on the size chart instead of one jump. */
  pauseMs?: number;
  /** Checked between batches; true stops the import where it is. */
  cancelled?: () => boolean;
}

/** `rows`: inserted by this call; `bytes`: the table's total size afterwards. */
export async function runPartnerImport(db: Db, opts: ImportOptions): Promise<{ bytes: number; rows: number }> {
  await db.query(`CREATE TABLE IF NOT EXISTS ${STAGING_TABLE} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    payload text NOT NULL
  )`);
  const batch = opts.batchRows ?? 10_000;
  let bytes = await stagingBytes(db);
  let rows = 0;
  while (bytes < opts.targetBytes && !opts.cancelled?.()) {
    const r = await db.query(
      `INSERT INTO ${STAGING_TABLE} (partner, payload)
       SELECT 'astro-partner-' || (g % 7), repeat(md5(g::text || clock_timestamp()::text), 30)
       FROM generate_series(1, $1::int) g`,
      [batch],
    );
    rows += r.rowCount ?? 0;
    bytes = await stagingBytes(db);
    if (opts.pauseMs && bytes < opts.targetBytes) await new Promise((r) => setTimeout(r, opts.pauseMs));
  }
  return { bytes, rows };
}

/** The merge is done: the archive step empties the staging table (TRUNCATE gives the space back). */
export async function archivePartnerImport(db: Db): Promise<number> {
  await db.query(`TRUNCATE ${STAGING_TABLE}`);
  return stagingBytes(db);
}

async function stagingBytes(db: Db): Promise<number> {
  const r = await db.query<{ b: string | null }>(`SELECT pg_total_relation_size(to_regclass($1)) AS b`, [STAGING_TABLE]);
  return Number(r.rows[0]?.b ?? 0);
}

/**
 * The fix the dashboard proposes for a bloated index. CONCURRENTLY: the application keeps
 * writing to query_cache meanwhile; it waits for transactions that hold the table open.
 */
export async function reindexConcurrently(db: pg.Client, index = BLOAT_INDEX): Promise<BloatResult> {
  const sql = await db.query<{ s: string }>(`SELECT format('REINDEX INDEX CONCURRENTLY %s', $1::regclass) AS s`, [index]);
  await db.query(sql.rows[0].s);
  return measureBloat(db, index);
}

/**
 * A reporting ETL that commits once per row: what matters to the wraparound rule is the
 * transaction IDs it consumes, so each of its `xids` transactions takes one and commits.
 * 115,000–230,000 per second on one core here (asynchronous commit: nothing waits for a flush).
 */
export async function runPerRowEtl(db: pg.Client, xids: number): Promise<void> {
  await db.query(`CREATE OR REPLACE PROCEDURE etl_commit_per_row(n int) LANGUAGE plpgsql AS $$
    BEGIN
      FOR i IN 1..n LOOP
        PERFORM pg_current_xact_id();
        COMMIT;
      END LOOP;
    END $$`);
  await db.query(`SET synchronous_commit = off`);
  await db.query(`CALL etl_commit_per_row($1::int)`, [xids]);
  await db.query(`RESET synchronous_commit`);
}

/** The oldest unfrozen transaction's age per connectable database, as the wraparound rule reads it. */
export async function xidAges(db: Db): Promise<Record<string, number>> {
  const r = await db.query<{ datname: string; age: number }>(`SELECT datname, age(datfrozenxid) AS age FROM pg_database WHERE datallowconn ORDER BY datname`);
  return Object.fromEntries(r.rows.map((x) => [x.datname, x.age]));
}

/**
 * The freeze job after the ETL: VACUUM (FREEZE) in every database that accepts connections,
 * which moves each one's datfrozenxid up to the present. `urlOf` gives a superuser URL of a
 * database on the server (VACUUM runs per database).
 */
export async function freezeAllDatabases(urlOf: (database?: string) => string): Promise<string[]> {
  const names = Object.keys(await withClient(urlOf(), MAINTENANCE_APP_NAME, xidAges));
  for (const name of names) await withClient(urlOf(name), MAINTENANCE_APP_NAME, (c) => c.query(`VACUUM (FREEZE)`));
  return names;
}
