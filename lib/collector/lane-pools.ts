import "server-only";
import type pg from "pg";
import { createTargetPool } from "@/lib/db/pool";
import type { MetricLane } from "@/lib/metrics/types";
import { GLOBAL_SLOT_HOLD_MS, type Semaphore } from "./limits";

// A target's two one-connection pools (one per lane, lib/collector/collector.ts) and their
// share of the limits. A pool is swapped for a fresh one when its connection must go (given
// back to the server's budget, stuck, or the target went down), but a pool a run holds is
// never ended under it: pg fails every later use of an ended pool ("Cannot use a pool after
// calling end on the pool"), which failed healthy runs and marked targets down. A replaced pool
// ends when its last holder lets go.

export interface LanePoolsOptions {
  url: string;
  /** The target's server's connection budget and the global bound on runs in flight. */
  limits?: { server: Semaphore; global: Semaphore };
}

export interface LanePools {
  /**
   * Runs fn on a lane's pool within the limits: a server budget slot for the pool's connection
   * (kept while it stays open, given back when it closes or, once no run holds the pool,
   * another run of the server waits) and a global slot held for at most GLOBAL_SLOT_HOLD_MS.
   */
  run<T>(lane: MetricLane, fn: (pool: pg.Pool) => Promise<T>): Promise<T>;
  /** Swaps a lane's pool for a fresh one; the old one closes once no run holds it. */
  replace(lane: MetricLane): void;
  /** Closes both lanes' pools (a run still holding one closes it when done). */
  end(): Promise<void>;
}

interface LanePool {
  pool: pg.Pool;
  /** Runs between taking this pool and letting it go. */
  holders: number;
  /** Replaced: no new run takes it; it ends when the last holder lets go. */
  retired: boolean;
  closed: Promise<void> | null;
  /** Connections established and not yet closed (pg counts a client as gone before its socket closes). */
  open: number;
  /** The server budget slot (granted or awaited) while the pool has or may open a connection. */
  slot: Promise<() => void> | null;
}

const noop = () => {};

export function createLanePools(opts: LanePoolsOptions): LanePools {
  const { limits } = opts;

  function open(): LanePool {
    const lp: LanePool = { pool: createTargetPool({ url: opts.url, max: 1 }), holders: 0, retired: false, closed: null, open: 0, slot: null };
    // pg-pool listens for errors on idle clients only: a connection that dies while a task holds
    // it between two statements would emit an unhandled 'error' and take the process down. The
    // dead client is still dropped by the pool on release.
    lp.pool.on("connect", (client) => {
      lp.open++;
      client.on("error", noop);
    });
    // Its connection closed (idle timeout, error, end): the slot goes back unless a run holds
    // the pool, which may open another; that run gives it back when done.
    lp.pool.on("remove", () => {
      lp.open--;
      if (lp.holders === 0 && !connected(lp)) giveBack(lp);
    });
    return lp;
  }

  const current: Record<MetricLane, LanePool> = { live: open(), bulk: open() };

  /** Whether the pool has a connection open or opening: its slot must stay taken. */
  function connected(lp: LanePool): boolean {
    return lp.open > 0 || lp.pool.totalCount > 0;
  }

  function giveBack(lp: LanePool): void {
    const slot = lp.slot;
    lp.slot = null;
    void slot?.then((release) => release(), noop);
  }

  function close(lp: LanePool): Promise<void> {
    // With no connection open there is no 'remove' to come: give the slot back now.
    if (!connected(lp)) giveBack(lp);
    lp.closed ??= lp.pool.end().catch(noop);
    return lp.closed;
  }

  function replace(lane: MetricLane): void {
    const old = current[lane];
    current[lane] = open();
    old.retired = true;
    if (old.holders === 0) void close(old);
  }

  /** Another run of the server waits for a slot: an idle pool no run holds gives its slot up. */
  function reclaim(lane: MetricLane, lp: LanePool): void {
    if (lp.holders > 0 || lp.retired) return; // its last holder checks again (letGo)
    if (!connected(lp)) giveBack(lp);
    else replace(lane);
  }

  function letGo(lane: MetricLane, lp: LanePool): void {
    lp.holders--;
    if (lp.holders > 0) return;
    if (lp.retired) void close(lp);
    else if (!connected(lp)) giveBack(lp);
    // Reclaims skipped this pool while it was held: a run still waiting gets its slot now.
    else if (limits && limits.server.waiting() > 0) replace(lane);
  }

  return {
    async run(lane, fn) {
      // Taken before any wait, so a swap while this run waits for its slots cannot end it.
      const lp = current[lane];
      lp.holders++;
      try {
        if (!limits) return await fn(lp.pool);
        lp.slot ??= limits.server.acquire({ reclaim: () => reclaim(lane, lp) });
        await lp.slot;
        const releaseGlobal = await limits.global.acquire();
        const hold = setTimeout(releaseGlobal, GLOBAL_SLOT_HOLD_MS);
        try {
          return await fn(lp.pool);
        } finally {
          clearTimeout(hold);
          releaseGlobal();
        }
      } finally {
        letGo(lane, lp);
      }
    },

    replace,

    async end() {
      const lanes = [current.live, current.bulk];
      for (const lp of lanes) lp.retired = true;
      await Promise.allSettled(lanes.filter((lp) => lp.holders === 0).map(close));
    },
  };
}
