// The bounds on collection across targets: a connection budget per server (which EXPLAIN and
// session actions draw on too) and a global bound on runs in flight. Both are counting
// semaphores. Waiters are served first come, first served within two classes: a person's
// request (EXPLAIN, cancel, terminate) goes ahead of every waiting collection run, because an
// on-call engineer stopping a runaway query must not queue behind periodic work. Collection is
// only put back while such a request waits, so it still gets every slot no request wants; and
// requests are few (role-gated, EXPLAIN rate-limited, each holding one slot for a moment).

export interface AcquireOptions {
  /**
   * Called while the slot is held whenever another caller starts waiting: a holder that only
   * keeps an idle connection gives it back then, so a budget is never stuck on idle sessions.
   */
  reclaim?: () => void;
  /**
   * A caller still waiting after this long leaves the queue and gets a SlotWaitTimeout
   * rejection instead (a request must not wait on collection forever).
   */
  waitMs?: number;
  /** Someone is waiting on the answer: served before every waiting caller without it. */
  urgent?: boolean;
}

export interface Semaphore {
  /** Resolves with a release function once a slot is free; release is idempotent. */
  acquire(opts?: AcquireOptions): Promise<() => void>;
  /** Callers waiting for a slot now, urgent or not. */
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
  // Two FIFO queues; a freed slot goes to the head of the urgent one first.
  const urgent: (() => void)[] = [];
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
      const next = urgent.shift() ?? queue.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else used--;
    };
  };
  return {
    acquire({ reclaim, waitMs, urgent: isUrgent = false } = {}) {
      if (used < slots) {
        used++;
        return Promise.resolve(releaser(reclaim));
      }
      const line = isUrgent ? urgent : queue;
      const wait = new Promise<() => void>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const entry = () => {
          clearTimeout(timer);
          resolve(releaser(reclaim));
        };
        if (waitMs !== undefined) {
          timer = setTimeout(() => {
            const i = line.indexOf(entry);
            if (i >= 0) line.splice(i, 1);
            reject(new SlotWaitTimeout(waitMs));
          }, waitMs);
        }
        line.push(entry);
      });
      for (const r of [...reclaimers]) r();
      return wait;
    },
    waiting: () => urgent.length + queue.length,
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
   * collection's and those of EXPLAIN and session actions (lib/server/wiring/action-connections.ts),
   * which acquire theirs as urgent.
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
