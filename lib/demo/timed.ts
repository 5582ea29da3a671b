import "server-only";
import type pg from "pg";

// The application's slow-statement logging, as the guidelines describe it: every statement it
// times that takes longer than a second lands in slow_query_log with its text and duration.

export const SLOW_MS = 1_000;

type Queryable = pg.Pool | pg.PoolClient | pg.Client;

export async function recordSlow(db: Queryable, queryText: string, ms: number): Promise<void> {
  await db.query(`INSERT INTO slow_query_log (query_text, execution_time) VALUES ($1, make_interval(secs => $2::double precision / 1000))`, [
    queryText,
    ms,
  ]);
}

/** Runs one statement; when it took over a second, records it through `logTo`. */
export async function timedQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  db: Queryable,
  logTo: Queryable,
  text: string,
  params: unknown[] = [],
): Promise<{ result: pg.QueryResult<R>; ms: number }> {
  const t0 = performance.now();
  const result = await db.query<R>(text, params);
  const ms = performance.now() - t0;
  if (ms > SLOW_MS) await recordSlow(logTo, text.replace(/\s+/g, " ").trim(), ms);
  return { result, ms };
}
