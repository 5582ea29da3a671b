// The bounds on collection across targets: a connection budget per server (which EXPLAIN and
// session actions draw on too) and a global bound on runs in flight. Both are counting semaphores served first come, first served.

export interface Semaphore {
  /**
   * Resolves with a release function once a slot is free; release is idempotent. `reclaim` is
   * called while the slot is held whenever another caller starts waiting: a holder that only
   * keeps an idle connection gives it back then, so a budget is never stuck on idle sessions.
   * With `waitMs`, a caller still waiting after that long leaves the queue and gets a
   * SlotWaitTimeout rejection instead (a request must not wait on collection forever).
   */
  acquire(reclaim?: () => void, waitMs?: number): Promise<() => void>;
  /** Runs waiting for a slot now. */
  waiting(): number;
  inUse(): number;
}

export class SlotWaitTimeout extends Error {
  constructor(readonly waitMs: number) {
    super(`no slot free within ${waitMs} ms`);
    this.name = "SlotWaitTimeout";
  }
}

export function createSemaphore(slots: number): Semaphore {
  let used = 0;
  const queue: (() => void)[] = [];
  const reclaimers = new Set<() => void>();
  const releaser = (reclaim?: () => void) => {
    let done = false;
    const token = reclaim ? () => reclaim() : undefined;
    if (token) reclaimers.add(token);
    return () => {
      if (done) return;
      done = true;
      if (token) reclaimers.delete(token);
      const next = queue.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else used--;
    };
  };
  return {
    acquire(reclaim, waitMs) {
      if (used < slots) {
        used++;
        return Promise.resolve(releaser(reclaim));
      }
      const wait = new Promise<() => void>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const entry = () => {
          clearTimeout(timer);
          resolve(releaser(reclaim));
        };
        if (waitMs !== undefined) {
          timer = setTimeout(() => {
            const i = queue.indexOf(entry);
            if (i >= 0) queue.splice(i, 1);
            reject(new SlotWaitTimeout(waitMs));
          }, waitMs);
        }
        queue.push(entry);
      });
      for (const r of [...reclaimers]) r();
      return wait;
    },
    waiting: () => queue.length,
    inUse: () => used,
  };
}

/**
 * A run gives its global slot back once it has run this long even if it has not finished: the
 * global bound exists to spread CPU work (parsing rows, a start-up burst of 200 targets), and a
 * run waiting that long is waiting on its server, not using this process. So a hung or slow
 * target can hold back another target's run by this much at most, never by its own timeout.
 */
export const GLOBAL_SLOT_HOLD_MS = 1_000;

export interface CollectionLimits {
  /**
   * The budget of the server at `key` (host:port): one slot per open monitoring connection,
   * collection's and those of EXPLAIN and session actions (lib/server/wiring/action-connections.ts).
   */
  server(key: string): Semaphore;
  global: Semaphore;
}

export function createCollectionLimits(opts: { connectionsPerServer: number; concurrentRuns: number }): CollectionLimits {
  const servers = new Map<string, Semaphore>();
  return {
    server(key) {
      let s = servers.get(key);
      if (!s) servers.set(key, (s = createSemaphore(opts.connectionsPerServer)));
      return s;
    },
    global: createSemaphore(opts.concurrentRuns),
  };
}
