import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { toDbError } from "@/lib/db/errors";
import { maybeOne } from "@/lib/db/query";
import type { SessionAction } from "@/lib/api/activity";
import { ownPidsOn } from "@/lib/db/own-sessions";

// pg_cancel_backend / pg_terminate_backend on the action pool. pgpulse's own sessions (by pid
// on the server this connection is on, never by application_name) are refused in the same
// statement that signals (CASE evaluates the call only when allowed), so no race can slip one
// through between a check and the call.

const SQL: Record<SessionAction, string> = {
  cancel: "pg_cancel_backend(x.pid)",
  terminate: "pg_terminate_backend(x.pid)",
};

export type SignalOutcome = { kind: "done"; ok: boolean } | { kind: "own" } | { kind: "forbidden"; message: string };

export async function signalBackend(pool: Pool, pid: number, action: SessionAction): Promise<SignalOutcome & { ok: boolean }> {
  try {
    const client = await pool.connect();
    let row: { own: boolean; ok: boolean | null } | null;
    try {
      row = await maybeOne(
        client,
        z.object({ own: z.boolean(), ok: z.boolean().nullable() }),
        `/* pgpulse */
         SELECT x.own, CASE WHEN NOT x.own THEN ${SQL[action]} END AS ok
         FROM (SELECT a.pid, (a.pid = ANY($2::int[]) OR a.pid = pg_backend_pid()) AS own
               FROM pg_stat_activity a WHERE a.pid = $1) x`,
        [pid, [...(await ownPidsOn(client))]],
        `session ${action}`,
      );
    } finally {
      client.release();
    }
    // No row: the session ended since the page drew it.
    if (!row) return { kind: "done", ok: false };
    if (row.own) return { kind: "own", ok: false };
    return { kind: "done", ok: row.ok === true };
  } catch (e) {
    const err = toDbError(e);
    if (err.code === "42501") {
      return {
        kind: "forbidden",
        ok: false,
        message:
          "the monitoring role may not signal this backend: it needs the pg_signal_backend role (GRANT pg_signal_backend TO <monitoring role>); sessions of a superuser can only be signalled by a superuser",
      };
    }
    throw err;
  }
}
