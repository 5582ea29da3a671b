import "server-only";
import pg from "pg";

// A target database shaped like a large application schema: `tables` relations listed by
// table_stats (plain tables, partitioned parents and their monthly leaves), two btree indexes
// per table (≈ 2 × tables index rows), a few rows each, ANALYZE'd so the bloat estimate has
// statistics. Names are built server-side with format('%I'); the bounds are parameters.

export interface FixtureInfo {
  database: string;
  tables: number;
  plainTables: number;
  partitionedParents: number;
  partitions: number;
  /** Btree indexes as index_stats lists them (leaf and partitioned indexes). */
  indexes: number;
  buildMs: number;
  analyzeMs: number;
}

/** One partitioned parent per 100 tables, each with 4 monthly partitions. */
export const PARTITIONS_PER_PARENT = 4;
const ROWS_PER_TABLE = 5;
/** Tables per call (one transaction): keeps the locks held far below the shared lock table. */
const BATCH = 100;

const BUILD_FUNCTIONS = `
CREATE OR REPLACE FUNCTION pg_temp.bench_plain(lo int, hi int, nrows int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t text;
BEGIN
  FOR i IN lo..hi LOOP
    t := format('t%s', lpad(i::text, 5, '0'));
    EXECUTE format('CREATE TABLE public.%I (id bigint PRIMARY KEY, user_id int NOT NULL,
                    created_at timestamptz NOT NULL, note text)', t);
    EXECUTE format('CREATE INDEX %I ON public.%I (user_id, created_at)', t || '_user_created', t);
    EXECUTE format('INSERT INTO public.%I SELECT g, g %% 3, timestamptz ''2026-01-01'' + g * interval ''1 hour'', md5(g::text)
                    FROM generate_series(1, $1) g', t) USING nrows;
  END LOOP;
END $$;
CREATE OR REPLACE FUNCTION pg_temp.bench_partitioned(lo int, hi int, nparts int, nrows int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t text; leaf text; m date;
BEGIN
  FOR i IN lo..hi LOOP
    t := format('p%s', lpad(i::text, 5, '0'));
    EXECUTE format('CREATE TABLE public.%I (id bigint NOT NULL, user_id int NOT NULL,
                    created_at timestamptz NOT NULL, note text, PRIMARY KEY (id, created_at))
                    PARTITION BY RANGE (created_at)', t);
    EXECUTE format('CREATE INDEX %I ON public.%I (user_id, created_at)', t || '_user_created', t);
    FOR k IN 0..nparts - 1 LOOP
      m := date '2026-01-01' + make_interval(months => k);
      leaf := t || '_' || to_char(m, 'YYYY_MM');
      EXECUTE format('CREATE TABLE public.%I PARTITION OF public.%I FOR VALUES FROM (%L) TO (%L)',
                     leaf, t, m, m + interval '1 month');
    END LOOP;
    EXECUTE format('INSERT INTO public.%I SELECT g, g %% 3, timestamptz ''2026-01-01'' + (g %% $2) * interval ''1 month'' + g * interval ''1 minute'', md5(g::text)
                    FROM generate_series(1, $1 * $2) g', t) USING nrows, nparts;
  END LOOP;
END $$;`;

export async function buildFixture(adminUrl: (db: string) => string, database: string, tables: number): Promise<FixtureInfo> {
  const started = performance.now();
  const server = new pg.Client({ connectionString: adminUrl("postgres") });
  await server.connect();
  try {
    // CREATE DATABASE takes no parameters; the name is quoted by the server.
    const { rows } = await server.query<{ sql: string }>(`SELECT format('CREATE DATABASE %I', $1::text) AS sql`, [database]);
    await server.query(rows[0].sql);
  } finally {
    await server.end();
  }

  const parents = Math.floor(tables / 100);
  const leaves = parents * PARTITIONS_PER_PARENT;
  const plain = tables - parents - leaves;
  // Two connections: one per core, each building its own slice.
  const workers = 2;
  const jobs: Array<(c: pg.Client) => Promise<unknown>> = [];
  for (let lo = 1; lo <= plain; lo += BATCH) {
    const hi = Math.min(plain, lo + BATCH - 1);
    jobs.push((c) => c.query(`SELECT pg_temp.bench_plain($1, $2, $3)`, [lo, hi, ROWS_PER_TABLE]));
  }
  for (let lo = 1; lo <= parents; lo += BATCH / 5) {
    const hi = Math.min(parents, lo + BATCH / 5 - 1);
    jobs.push((c) => c.query(`SELECT pg_temp.bench_partitioned($1, $2, $3, $4)`, [lo, hi, PARTITIONS_PER_PARENT, ROWS_PER_TABLE]));
  }
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const c = new pg.Client({ connectionString: adminUrl(database) });
      await c.connect();
      try {
        await c.query(BUILD_FUNCTIONS);
        for (let job = jobs.shift(); job; job = jobs.shift()) await job(c);
      } finally {
        await c.end();
      }
    }),
  );
  const buildMs = performance.now() - started;

  const c = new pg.Client({ connectionString: adminUrl(database) });
  await c.connect();
  try {
    const a = performance.now();
    await c.query("VACUUM ANALYZE");
    const analyzeMs = performance.now() - a;
    const counts = await c.query<{ tables: number; indexes: number }>(`
      SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p'))::int AS tables,
             (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind IN ('i', 'I'))::int AS indexes`);
    return {
      database,
      tables: counts.rows[0].tables,
      plainTables: plain,
      partitionedParents: parents,
      partitions: leaves,
      indexes: counts.rows[0].indexes,
      buildMs,
      analyzeMs,
    };
  } finally {
    await c.end();
  }
}
