import "server-only";
import type { Pool, PoolClient } from "pg";
import type { Semaphore } from "@/lib/collector/limits";
import { DomainError } from "@/lib/errors";

// EXPLAIN and session actions (cancel, terminate) connect to a target on request. Their
// connections count in the server's monitoring budget (collection.connectionsPerServer) like
// collection's: a burst of EXPLAINs over many databases of one server cannot open more than the
// budget promises. Collection gives idle connections back as soon as one waits (limits.ts), and
// a request is served ahead of every collection run waiting for a slot: someone is waiting on it.

/** How a request reaches a target: one connection at a time, within its server's budget. */
export interface ActionConnector {
  connect(): Promise<PoolClient>;
}

/**
 * How long a request waits for a budget slot. It is next in line once a slot frees up, and
 * collection runs take a few seconds at most, so one does well within this unless the server is
 * saturated (or other requests hold the budget); then the caller is told so.
 */
export const ACTION_SLOT_WAIT_MS = 10_000;

export function budgetedConnector(pool: Pool, budget: Semaphore, waitMs = ACTION_SLOT_WAIT_MS): ActionConnector {
  return {
    async connect() {
      const free = await budget.acquire({ waitMs, urgent: true }).catch(() => {
        throw new DomainError(
          503,
          `every monitoring connection to this server is in use (collection.connectionsPerServer); try again in a few seconds`,
          { code: "busy", headers: { "retry-after": String(Math.ceil(waitMs / 1000)) } },
        );
      });
      try {
        const client = await pool.connect();
        const release = client.release.bind(client);
        let released = false;
        // Closed, never kept idle: an idle connection would hold a slot that collection needs.
        // The slot is given back once the session is gone, not when its close is asked: pg-pool
        // emits 'remove' after the server closed the socket, which a backend does only as it
        // exits. Given back earlier, the next connection opened beside a backend still listed
        // in pg_stat_activity, one over the budget.
        client.release = () => {
          if (released) return;
          released = true;
          const onRemove = (removed: PoolClient) => {
            if (removed !== client) return;
            pool.off("remove", onRemove);
            free();
          };
          pool.on("remove", onRemove);
          release(true);
        };
        return client;
      } catch (e) {
        free();
        throw e;
      }
    },
  };
}
