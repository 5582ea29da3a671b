import "server-only";
import type { PoolClient } from "pg";
import { z } from "zod";
import { toDbError } from "@/lib/db/errors";
import { maybeOne } from "@/lib/db/query";
import type { SessionAction, SessionActionOutcome } from "@/lib/api/activity";
import { ownPidsOn } from "@/lib/db/own-sessions";
import { isDomainError } from "@/lib/errors";
import type { ActionConnector } from "@/lib/server/wiring/action-connections";

// pg_cancel_backend / pg_terminate_backend on the action pool. pgpulse's own sessions (by pid
// on the server this connection is on, never by application_name) are refused in the same
// statement that signals (CASE evaluates the call only when allowed), so no race can slip one
// through between a check and the call.
//
// A signal is a request: a backend acts on it at its next interrupt check, and a function may
// even trap a cancel. So after sending, the same connection watches pg_stat_activity for a short,
// bounded time and reports whether the statement (cancel) or the session (terminate) ended.

const SQL: Record<SessionAction, string> = {
  cancel: "pg_cancel_backend(x.pid)",
  terminate: "pg_terminate_backend(x.pid)",
};

/** How long the answer waits to see the signal take effect; the dialog says "after 2 s". */
export const SIGNAL_WATCH_MS = 2_000;
const POLL_MS = 20;

export interface SignalWatch {
  outcome: SessionActionOutcome;
  /** Milliseconds from sending the signal to seeing its effect; null when not seen. */
  afterMs: number | null;
  watchedMs: number;
  /** The session's state once the watch ended (null: gone). */
  stateAfter: string | null;
}

export type SignalOutcome = ({ kind: "done"; ok: true } & SignalWatch) | { kind: "done"; ok: false } | { kind: "own"; ok: false } | { kind: "forbidden"; ok: false; message: string };

const signalRow = z.object({ own: z.boolean(), ok: z.boolean().nullable(), state: z.string().nullable(), query_start: z.string().nullable() });
const watchRow = z.object({ state: z.string().nullable(), query_start: z.string().nullable() });

export async function signalBackend(pool: ActionConnector, pid: number, action: SessionAction, watchMs = SIGNAL_WATCH_MS): Promise<SignalOutcome> {
  try {
    const client = await pool.connect();
    try {
      const started = performance.now();
      // state and query_start are read in the statement that signals: what was running then.
      const row = await maybeOne(
        client,
        signalRow,
        `/* pgpulse */
         SELECT x.own, CASE WHEN NOT x.own THEN ${SQL[action]} END AS ok, x.state, x.query_start::text AS query_start
         FROM (SELECT a.pid, a.state, a.query_start, (a.pid = ANY($2::int[]) OR a.pid = pg_backend_pid()) AS own
               FROM pg_stat_activity a WHERE a.pid = $1) x`,
        [pid, [...(await ownPidsOn(client))]],
        `session ${action}`,
      );
      // No row: the session ended since the page drew it.
      if (!row) return { kind: "done", ok: false };
      if (row.own) return { kind: "own", ok: false };
      if (row.ok !== true) return { kind: "done", ok: false };
      // Without pg_read_all_stats another role's state reads NULL: a cancel's effect cannot be seen.
      if (action === "cancel" && row.state === null) return { kind: "done", ok: true, outcome: "unseen", afterMs: null, watchedMs: 0, stateAfter: null };
      // A cancel reaches only a running statement; an idle session has nothing to stop.
      if (action === "cancel" && row.state !== "active") return { kind: "done", ok: true, outcome: "not_running", afterMs: null, watchedMs: 0, stateAfter: row.state };
      return { kind: "done", ok: true, ...(await watch(client, pid, action, row.query_start, started, watchMs)) };
    } finally {
      client.release();
    }
  } catch (e) {
    // A full connection budget (503) is the caller's answer already.
    if (isDomainError(e)) throw e;
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

/** Polls the backend until the signal's effect shows or `watchMs` has passed. */
async function watch(client: PoolClient, pid: number, action: SessionAction, queryStart: string | null, started: number, watchMs: number): Promise<SignalWatch> {
  for (;;) {
    // Each poll is its own autocommit statement, so pg_stat_activity is read afresh.
    const last = await maybeOne(client, watchRow, `/* pgpulse */ SELECT state, query_start::text AS query_start FROM pg_stat_activity WHERE pid = $1`, [pid], "session watch");
    const elapsed = performance.now() - started;
    // Terminate: the session is gone. Cancel: the statement that ran is over (the session idles,
    // went on to a new statement, or ended altogether).
    if (last === null) return { outcome: "ended", afterMs: Math.round(elapsed), watchedMs: watchMs, stateAfter: null };
    if (action === "cancel" && (last.state !== "active" || last.query_start !== queryStart)) {
      return { outcome: "ended", afterMs: Math.round(elapsed), watchedMs: watchMs, stateAfter: last.state };
    }
    if (elapsed >= watchMs) return { outcome: "still_running", afterMs: null, watchedMs: watchMs, stateAfter: last.state };
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
