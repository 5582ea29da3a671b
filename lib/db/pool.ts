import "server-only";
import pg from "pg";
import { APPLICATION_NAMES } from "./application-names";
import { recordOwnSession } from "./own-sessions";

// Type parsing is decided here, per pool, never by mutating pg's global parsers:
// int8 and numeric arrive as JS numbers (counters stay far below 2^53 in practice; byte sizes
// up to 8 PiB are exact), timestamps as Date.
const INT8 = 20;
const NUMERIC = 1700;

const typeOverrides: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format as "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

export interface TargetPoolOptions {
  url: string;
  /** At most this many connections to a monitored target (default 2). */
  max?: number;
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  applicationName?: string;
}

export const MONITOR_APPLICATION_NAME = APPLICATION_NAMES.monitor;

/**
 * The monitoring session: read-only, with statement, lock and idle-in-transaction timeouts set
 * as startup parameters so they hold from the first statement (PG-FACTS: the monitoring session).
 * JIT is off: packaged servers have it on, and catalog queries over thousands of relations
 * pass its cost thresholds, so every run paid compilation (1.38 s of a 1.63 s index read at
 * 2,000 tables) for a plan that runs in a fraction of that.
 */
export function createTargetPool(opts: TargetPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 2,
    application_name: opts.applicationName ?? MONITOR_APPLICATION_NAME,
    statement_timeout: opts.statementTimeoutMs ?? 5_000,
    lock_timeout: opts.lockTimeoutMs ?? 1_000,
    idle_in_transaction_session_timeout: 10_000,
    options: "-c default_transaction_read_only=on -c jit=off",
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 60_000,
    keepAlive: true,
    types: typeOverrides,
    onConnect: recordOwnSession,
  });
  // An idle client that dies (target restarted, backend terminated) must not crash the process.
  pool.on("error", () => {});
  return pool;
}

/**
 * A read-write pool for the history store. `timeoutMs` bounds every statement and connect (the
 * lease pool's are short: a renewal that hangs must give way to the next one).
 */
export function createStorePool(url: string, max = 4, timeoutMs?: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: APPLICATION_NAMES.store,
    statement_timeout: timeoutMs ?? 30_000,
    query_timeout: timeoutMs,
    connectionTimeoutMillis: Math.min(5_000, timeoutMs ?? 5_000),
    types: typeOverrides,
    // The store may share a server with a target (the demo's does): its sessions are ours there too.
    onConnect: recordOwnSession,
  });
  pool.on("error", () => {});
  return pool;
}
