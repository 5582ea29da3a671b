import "server-only";
import type pg from "pg";
import { z } from "zod";
import { one } from "./query";
import { processWide } from "@/lib/process-wide";

// pgpulse's own sessions, recognised by what another client cannot forge: the backend pid of
// each connection pgpulse opened, recorded as it opens and forgotten as it ends, per PostgreSQL
// instance. application_name is only a label for people reading pg_stat_activity: any client
// can set it, so it decides nothing here.
//
// The instance key is the server's `port` setting plus the postmaster's start time:
// - the same server reached another way (localhost or 127.0.0.1, a socket, a forwarded port,
//   another role or database) gives the same key, so the history store's sessions are known on
//   a target that shares its server (the demo does);
// - a pid is unique only within one postmaster lifetime: after a restart the key changes, so a
//   recorded pid never matches a new backend that happens to reuse the number;
// - both are readable by any role, pg_monitor or not. system_identifier is not used: a primary
//   and its physical standbys share it, while their pids are unrelated.
// Sessions of the monitoring role are not taken as ours: the role is often shared (or is the
// superuser), and that would hide every session of whoever else logs in with it.

const IDENTITY_SQL = `/* pgpulse */ SELECT pg_backend_pid() AS pid,
  current_setting('port') || '@' || to_char(pg_postmaster_start_time() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS server`;

const identityRow = z.object({ pid: z.number().int(), server: z.string() });
type Identity = z.infer<typeof identityRow>;

interface Registry {
  /** Server key → pids of pgpulse's open connections there. */
  byServer: Map<string, Set<number>>;
  /** Client → who it is on which server (looked up once per connection). */
  identities: WeakMap<pg.ClientBase, Promise<Identity | null>>;
}

// One per process: route handlers are bundled apart from the module that opened the pools
// (instrumentation), and both must read the same registry.
const registry = (): Registry => processWide("own-sessions", () => ({ byServer: new Map(), identities: new WeakMap() }));

const NONE: ReadonlySet<number> = new Set();

function identify(client: pg.ClientBase): Promise<Identity | null> {
  const { identities } = registry();
  let id = identities.get(client);
  if (!id) {
    id = one(client, identityRow, IDENTITY_SQL, [], "own session").catch(() => null);
    identities.set(client, id);
    // A failed look-up (the connection died, a timeout) is not remembered: the next caller asks again.
    void id.then((i) => (i ? undefined : identities.delete(client)));
  }
  return id;
}

/**
 * Records the backend pid of a connection pgpulse just opened, until that connection ends.
 * The pool's onConnect hook: the pool hands the connection out only after this resolves, so
 * the pid is known before any statement of pgpulse's runs there. A failed look-up leaves the
 * connection unrecorded (shown like anyone's session) rather than refusing it.
 */
export async function recordOwnSession(client: pg.ClientBase): Promise<void> {
  let ended = false;
  let mine: Identity | null = null;
  client.once("end", () => {
    ended = true;
    if (!mine) return;
    const { byServer } = registry();
    const pids = byServer.get(mine.server);
    pids?.delete(mine.pid);
    // A restarted server comes back under a new key: drop the old one once it is empty.
    if (pids?.size === 0) byServer.delete(mine.server);
  });
  const i = await identify(client);
  if (!i || ended) return;
  mine = i;
  const { byServer } = registry();
  const pids = byServer.get(i.server) ?? new Set<number>();
  pids.add(i.pid);
  byServer.set(i.server, pids);
}

/**
 * The pids of pgpulse's open connections on the server `client` is connected to (this client's
 * own included once tracked). A live set: test membership right away, O(1) per row.
 */
export async function ownPidsOn(client: pg.ClientBase): Promise<ReadonlySet<number>> {
  const i = await identify(client);
  return (i && registry().byServer.get(i.server)) || NONE;
}

/** Drops the rows of pgpulse's own sessions: those whose `pid` is in `own`. */
export function withoutOwnSessions<R extends Record<string, unknown>>(rows: R[], own: ReadonlySet<number>): R[] {
  if (own.size === 0) return rows;
  return rows.filter((r) => typeof r.pid !== "number" || !own.has(r.pid));
}
