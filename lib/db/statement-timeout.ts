import "server-only";
import type pg from "pg";
import { processWide } from "@/lib/process-wide";
import { exec } from "./query";

// Each collection run has its own statement timeout, without a statement of its own per run.
// A connection starts with the timeout its pool sent as a startup parameter (lib/db/pool.ts);
// a run that needs another value changes the session's setting, and the value is remembered
// on the connection, so runs that keep the timeout the connection already has (most of them:
// a lane repeats the same few tasks) cost no extra statement and no extra round trip.
// Measured over 63 s of a collector with the default catalog: a SET before every run made 44
// of 95 statements on the target; now 18 of 69 remain, each one a change between live metrics
// of 2 s and 3 s timeouts or between bulk ones. lib/metrics/run.int.test.ts counts them.

/** The timeout each connection has now, as far as we set it; null while a change is unconfirmed. */
const current = processWide("statementTimeouts", () => new WeakMap<pg.ClientBase, number | null>());

/** What the connection was opened with (pg keeps its connection parameters on the client). */
function startupTimeout(client: pg.ClientBase): number | null {
  const params = (client as unknown as { connectionParameters?: { statement_timeout?: unknown } }).connectionParameters;
  const ms = Number(params?.statement_timeout);
  return Number.isInteger(ms) && ms > 0 ? ms : null;
}

/** Gives the session `timeoutMs` as its statement_timeout unless it already has it. */
export async function applyStatementTimeout(client: pg.ClientBase, timeoutMs: number): Promise<void> {
  const ms = Math.max(1, Math.floor(timeoutMs));
  const now = current.has(client) ? current.get(client) : startupTimeout(client);
  if (now === ms) return;
  // Unknown until the server confirms: after a failed change the next run sets it again.
  current.set(client, null);
  // set_config rather than SET: the value travels as a parameter, never in the SQL text.
  await exec(client, "/* pgpulse */ SELECT set_config('statement_timeout', $1, false)", [String(ms)]);
  current.set(client, ms);
}

/** Checks out a connection with `timeoutMs` as its statement timeout, runs `fn` on it, releases it. */
export async function withStatementTimeout<T>(pool: pg.Pool, timeoutMs: number, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await applyStatementTimeout(client, timeoutMs);
    return await fn(client);
  } finally {
    client.release();
  }
}
