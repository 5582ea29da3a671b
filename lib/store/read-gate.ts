import { DomainError } from "@/lib/errors";

// History reads go through a gate in front of their own pool: at most `slots` run at once, at
// most `maxQueue` wait, and none waits past `waitMs`. A viewer's read that cannot start soon is
// refused at once with 503 + Retry-After instead of piling up behind a connect timeout (which
// answered 500 under load), and the store's writers (flushes, alerts, delivery) keep their own
// pool, so a crowd of viewers never delays what is recorded.

export interface ReadGateOptions {
  /** Reads running at once; the read pool has as many connections. */
  slots: number;
  /** Reads allowed to wait for a slot; one more is refused at once. */
  maxQueue: number;
  /** The longest a read waits for a slot before it is refused. */
  waitMs: number;
}

/** Seconds a refused caller is told to wait before trying again. */
export const STORE_BUSY_RETRY_AFTER_S = 1;

/** The store has no free read slot: answered 503 with Retry-After (lib/server/http/error-response.ts). */
export class StoreBusyError extends DomainError {
  constructor(readonly reason: "queue_full" | "wait_timeout") {
    super(503, "the history store is busy; try again in a moment", { code: "store_busy", headers: { "retry-after": String(STORE_BUSY_RETRY_AFTER_S) } });
    this.name = "StoreBusyError";
  }
}

export interface ReadGate {
  run<T>(read: () => Promise<T>): Promise<T>;
  /** Reads running and waiting now (for tests and the health figures). */
  load(): { running: number; waiting: number };
}

export function createReadGate(o: ReadGateOptions): ReadGate {
  let running = 0;
  const waiting: Array<() => void> = [];

  function release() {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }

  function acquire(): Promise<void> {
    if (running < o.slots) {
      running++;
      return Promise.resolve();
    }
    if (waiting.length >= o.maxQueue) return Promise.reject(new StoreBusyError("queue_full"));
    return new Promise<void>((resolve, reject) => {
      // The slot is handed over directly by release(): `running` stays counted for it.
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = waiting.indexOf(wake);
        if (i >= 0) waiting.splice(i, 1);
        reject(new StoreBusyError("wait_timeout"));
      }, o.waitMs);
      waiting.push(wake);
    });
  }

  return {
    async run(read) {
      await acquire();
      try {
        return await read();
      } finally {
        release();
      }
    },
    load: () => ({ running, waiting: waiting.length }),
  };
}
