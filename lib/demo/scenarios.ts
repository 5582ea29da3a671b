import "server-only";
import pg from "pg";
import { USER_ID_SQL } from "./seed";
import { timedQuery } from "./timed";

// The conditions the default alerts watch, each produced the way a real application causes it.
// Each function is usable on its own (the tests drive them one by one).

export const APP_NAME = "kundli-app";
export const REPORT_APP_NAME = "kundli-report";
export const MAINTENANCE_APP_NAME = "kundli-maintenance";
export const ETL_APP_NAME = "kundli-etl";

export async function connect(url: string, applicationName: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: applicationName });
  // A terminated backend emits 'error' on an idle client; unhandled, it would end the process.
  c.on("error", () => {});
  await c.connect();
  return c;
}

/**
 * fn on a connection of its own, closed afterwards (a maintenance job, a one-off step). While
 * it runs the connection sits in `open`, so an owner that stops can close it under the job.
 */
export async function withClient<T>(url: string, applicationName: string, fn: (c: pg.Client) => Promise<T>, open?: Set<pg.Client>): Promise<T> {
  const c = await connect(url, applicationName);
  open?.add(c);
  try {
    return await fn(c);
  } finally {
    open?.delete(c);
    await c.end().catch(() => {});
  }
}

/**
 * A statement over one second: the compatibility report waits on the (simulated) ephemeris
 * service with pg_sleep, then the application records it in slow_query_log.
 */
export async function runSlowStatement(db: pg.Client | pg.Pool, user = 3, seconds = 1.1 + Math.random() * 0.9): Promise<number> {
  const { ms } = await timedQuery(
    db,
    db,
    `SELECT (SELECT count(*) FROM birth_charts WHERE user_id = ${USER_ID_SQL("$1::int")}) AS charts,
            pg_sleep($2::double precision) IS NOT NULL AS ephemeris_wait`,
    [user, seconds],
  );
  return ms;
}

/**
 * The monthly sign distribution report: a full sequential scan of planetary_positions. The table
 * is more than a quarter of shared_buffers, so the scan goes through a ring buffer: every block
 * not already cached counts as a read and the interval cache hit ratio drops, while the
 * application's cached pages stay; a scan over one second is also recorded as slow.
 */
export async function runColdScanReport(db: pg.Client | pg.Pool): Promise<{ ms: number; rows: number }> {
  const { ms, result } = await timedQuery(
    db,
    db,
    `SELECT planet, sign, count(*) AS positions, round(avg(longitude)::numeric, 2) AS mean_longitude
     FROM planetary_positions GROUP BY planet, sign ORDER BY planet, sign`,
  );
  return { ms, rows: result.rowCount ?? 0 };
}

export interface BloatResult {
  index: string;
  indexBytes: number;
  /** pgstatindex avg_leaf_density, in % (null when pgstattuple is missing). */
  leafDensity: number | null;
  /** Bloat against a fresh btree's 90 % fill: 100 − density·100/90. */
  bloatPct: number | null;
}

export const BLOAT_INDEX = "query_cache_pkey";

export async function measureBloat(db: pg.Client | pg.Pool, index = BLOAT_INDEX): Promise<BloatResult> {
  const size = await db.query<{ b: string }>(`SELECT pg_relation_size($1::regclass) AS b`, [index]);
  let density: number | null = null;
  try {
    const r = await db.query<{ d: number }>(`SELECT avg_leaf_density AS d FROM pgstatindex($1::regclass)`, [index]);
    density = Number(r.rows[0]?.d);
  } catch {
    density = null;
  }
  return {
    index,
    indexBytes: Number(size.rows[0]?.b ?? 0),
    leafDensity: density,
    bloatPct: density === null ? null : Math.max(0, 100 - (density * 100) / 90),
  };
}

/**
 * Index bloat that survives VACUUM: a burst of short-lived horoscope entries is cached (random
 * keys, so they spread over every leaf page of the cache_key index), two in three expire, the
 * expiry purge deletes them and VACUUM leaves the pages one-third full. Pages that are not empty
 * are never recycled, so the index keeps its size with a low leaf density. The last third
 * expires a quarter of an hour later (the regular expiry removes it): the table stays the same
 * size from one burst to the next, only the index needs its REINDEX.
 */
export async function runCacheBloat(db: pg.Client, rows = 200_000, vacuumWithinMs = 120_000): Promise<BloatResult> {
  await db.query(
    `INSERT INTO query_cache (cache_key, cache_value, created_at, expires_at)
     SELECT 'horoscope:' || md5(random()::text || clock_timestamp()::text || g), jsonb_build_object('day', current_date, 'n', g),
            now(), now() + CASE WHEN g % 3 = 0 THEN interval '15 minutes' ELSE interval '1 second' END
     FROM generate_series(1, $1::int) g
     ON CONFLICT (cache_key) DO NOTHING`,
    [rows],
  );
  await new Promise((r) => setTimeout(r, 1_500));
  const purged = await db.query(`DELETE FROM query_cache WHERE expires_at < now()`);
  // The purge job vacuums right after, as autovacuum soon would: the bloat is what remains. A
  // transaction older than the purge (a slow statement's snapshot, the lock chain's xids) keeps
  // the deleted rows, and their index entries, until it ends: vacuum again until they are gone.
  const until = Date.now() + vacuumWithinMs;
  for (;;) {
    await db.query(`VACUUM (ANALYZE) query_cache`);
    const dead = await db.query<{ n: string }>(`SELECT n_dead_tup AS n FROM pg_stat_user_tables WHERE relid = 'query_cache'::regclass`);
    if (Number(dead.rows[0]?.n ?? 0) <= (purged.rowCount ?? 0) * 0.02 || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 2_000));
  }
  return measureBloat(db);
}

export interface HeldSession {
  pid: number;
  release(): Promise<void>;
}

/**
 * A transaction left open after a read (a request handler that forgot to commit). It only
 * reads under READ COMMITTED, so it holds no xid and no snapshot between statements: it does
 * not hold back VACUUM, it only shows as "idle in transaction".
 */
export async function holdIdleTransaction(url: string, user = 3, applicationName = APP_NAME): Promise<HeldSession> {
  const c = await connect(url, applicationName);
  const pid = (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
  await c.query("BEGIN");
  await c.query(`SELECT id, name FROM birth_charts WHERE user_id = ${USER_ID_SQL("$1::int")} LIMIT 5`, [user]);
  // A parameterized statement (extended protocol) leaves its unnamed portal, and with it a
  // snapshot (backend_xmin), until the next statement: the last statement before going idle is
  // a plain one so the session does not hold back VACUUM. It stays off query_cache: the lock it
  // keeps would make the demo's REINDEX CONCURRENTLY of that table's index wait for it.
  await c.query(`SELECT count(*) FROM users WHERE is_active`);
  return {
    pid,
    async release() {
      await c.query("COMMIT").catch(() => {});
      await c.end().catch(() => {});
    },
  };
}

/** A long export that reads in one transaction, a small query every `stepMs`. */
export async function holdLongTransaction(url: string, stepMs = 60_000): Promise<HeldSession> {
  const c = await connect(url, REPORT_APP_NAME);
  const pid = (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
  await c.query("BEGIN");
  // Plain statements only (no parameters): see holdIdleTransaction on snapshots held by portals.
  const step = () => c.query(`SELECT count(*) FROM audit_log WHERE "timestamp" > now() - interval '1 hour'`).catch(() => {});
  await step();
  const timer = setInterval(step, stepMs);
  return {
    pid,
    async release() {
      clearInterval(timer);
      await c.query("COMMIT").catch(() => {});
      await c.end().catch(() => {});
    },
  };
}

export interface LockChain {
  /** A holds user 1; B holds user 2 and waits for A; C waits for B. */
  pids: { a: number; b: number; c: number };
  /** Resolves when A has released and B and C have finished. */
  release(): Promise<void>;
}

/**
 * A chain of row-lock waits: A updates user 1 and keeps its transaction open, B updates user 2
 * then user 1 (waits on A), C updates user 2 (waits on B). Ordinary traffic never touches users
 * 1 and 2, so only this chain queues.
 */
export async function startLockChain(url: string): Promise<LockChain> {
  const [a, b, c] = await Promise.all([connect(url, APP_NAME), connect(url, APP_NAME), connect(url, APP_NAME)]);
  const pidOf = async (x: pg.Client) => (await x.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
  const pids = { a: await pidOf(a), b: await pidOf(b), c: await pidOf(c) };
  const touch = `UPDATE users SET last_login_at = now() WHERE id = ${USER_ID_SQL("$1::int")}`;
  await a.query("BEGIN");
  await a.query(touch, [1]);
  await b.query("BEGIN");
  await b.query(touch, [2]);
  const bWaits = b.query(touch, [1]).then(() => b.query("COMMIT"));
  await waitUntilBlocked(a, pids.b);
  const cWaits = c.query(touch, [2]);
  await waitUntilBlocked(a, pids.c);
  const settle = (p: Promise<unknown>) => p.then(() => undefined, () => undefined);
  return {
    pids,
    async release() {
      await a.query("COMMIT").catch(() => {});
      await Promise.all([settle(bWaits), settle(cWaits)]);
      await Promise.all([a, b, c].map((x) => x.end().catch(() => {})));
    },
  };
}

async function waitUntilBlocked(observer: pg.Client, pid: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = await observer.query<{ n: number }>(`SELECT cardinality(pg_blocking_pids($1)) AS n`, [pid]);
    if (r.rows[0]?.n > 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`session ${pid} did not start waiting within ${timeoutMs} ms`);
}


export const BATCH_APP_NAME = "kundli-batch";

export interface ConnectionSurge {
  opened: number;
  release(): Promise<void>;
}

/**
 * A batch job that opens a connection per worker and leaves them idle: client connections rise
 * to `ratio` of the usable slots (max_connections minus the reserved ones), so the saturation
 * rule (> 80 % for a minute) fires. It never takes more than `usable - keepFree` slots, so
 * pgpulse, the store and the application keep theirs.
 */
export async function openConnectionSurge(url: string, ratio = 0.85, keepFree = 10): Promise<ConnectionSurge> {
  const probe = await connect(url, BATCH_APP_NAME);
  let want = 0;
  try {
    const { rows } = await probe.query<{ usable: number; used: number }>(
      `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
                - coalesce(current_setting('reserved_connections', true)::int, 0) AS usable,
              (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS used`,
    );
    const { usable, used } = rows[0];
    want = Math.max(0, Math.min(Math.ceil(usable * ratio) - used, usable - keepFree - used));
  } finally {
    await probe.end().catch(() => {});
  }
  const clients = await Promise.all(Array.from({ length: want }, () => connect(url, BATCH_APP_NAME).catch(() => null)));
  const open = clients.filter((c): c is pg.Client => c !== null);
  return {
    opened: open.length,
    release: async () => {
      await Promise.allSettled(open.map((c) => c.end()));
    },
  };
}
