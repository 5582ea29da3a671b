import "server-only";

// The demo workload's clock: one-off steps, periodic runs that never overlap themselves, bursts,
// and episodes (a condition made, then ended a while later). A failure is logged with the step's
// name and the schedule goes on; stop() clears every timer and releases what is held open.

/** `fn` every `everyMs` during `forMs`, then quiet until `periodMs` has passed since the burst began. */
export interface Burst {
  startMs: number;
  everyMs: number;
  forMs: number;
  periodMs: number;
}

/** A condition begins at `startMs` and again every `periodMs`; it is ended `holdMs` after it began. */
export interface Episode {
  startMs: number;
  holdMs: number;
  periodMs: number;
}

/** A session opened at `startMs`, held `holdMs`, reopened `pauseMs` after it was closed. */
export interface Hold {
  startMs: number;
  holdMs: number;
  pauseMs: number;
}

interface Releasable {
  release(): Promise<void>;
}

export function createScheduler(log: (line: string) => void) {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const held = new Set<Releasable>();
  // Work that must finish before stop() returns (a server being started).
  const mustFinish = new Set<Promise<unknown>>();

  const later = (ms: number, fn: () => unknown, name = "scheduled step") => {
    if (stopped) return;
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) void Promise.resolve().then(fn).catch((e) => !stopped && log(`workload: ${name} failed: ${(e as Error).message}`));
    }, ms);
    timers.add(t);
  };

  // fn, unless its previous run is still going (a slow disk turns into fewer runs, not a pile-up).
  const guarded = (name: string, fn: () => Promise<unknown>) => {
    let busy = false;
    return async () => {
      if (busy || stopped) return;
      busy = true;
      try {
        await fn();
      } catch (e) {
        if (!stopped) log(`workload: ${name} failed: ${(e as Error).message}`);
      } finally {
        busy = false;
      }
    };
  };

  const every = (first: number, period: number, name: string, fn: () => Promise<unknown>) => {
    const run = guarded(name, fn);
    const tick = () => {
      later(period, tick);
      void run();
    };
    later(first, tick);
  };

  return {
    get stopped() {
      return stopped;
    },
    later,
    every,

    /** A plain interval (application traffic, summaries), cleared by stop(). */
    interval(ms: number, fn: () => void) {
      timers.add(setInterval(fn, ms) as unknown as NodeJS.Timeout);
    },

    burst(name: string, b: Burst, fn: () => Promise<unknown>) {
      const run = guarded(name, fn);
      every(b.startMs, b.periodMs, name, async () => {
        void run();
        for (let at = b.everyMs; at < b.forMs; at += b.everyMs) later(at, run);
      });
    },

    /**
     * begin() makes the condition and returns what ends it (or null: nothing to end).
     * `closeOnStop`: what it holds open (sessions) is released by stop() too; otherwise the
     * condition is left as it is when the workload stops (a bloated index stays bloated).
     */
    episodes(name: string, e: Episode, closeOnStop: boolean, begin: () => Promise<(() => Promise<unknown>) | null>) {
      every(e.startMs, e.periodMs, name, async () => {
        const end = await begin();
        if (!end) return;
        const item = { release: async () => void (await end()) };
        if (closeOnStop) {
          if (stopped) return item.release();
          held.add(item);
        }
        later(e.holdMs, async () => {
          held.delete(item);
          await item.release();
        }, `ending the ${name}`);
      });
    },

    hold(name: string, cfg: Hold, open: () => Promise<Releasable & { pid: number }>) {
      const cycle = async (): Promise<void> => {
        let s: Releasable & { pid: number };
        try {
          s = await open();
        } catch (e) {
          // The server may be busy or restarting: try again after the pause.
          if (!stopped) log(`workload: ${name} failed: ${(e as Error).message}`);
          later(cfg.pauseMs, cycle, name);
          return;
        }
        if (stopped) return s.release();
        held.add(s);
        log(`workload: ${name} (pid ${s.pid}) held for ${Math.round(cfg.holdMs / 1000)} s`);
        later(cfg.holdMs, async () => {
          held.delete(s);
          later(cfg.pauseMs, cycle, name);
          await s.release();
        }, `closing the ${name}`);
      };
      later(cfg.startMs, cycle, name);
    },

    /** Keeps stop() waiting for `p` (a server start must not outlive the workload). */
    finishFirst<T>(p: Promise<T>): Promise<T> {
      mustFinish.add(p);
      return p.finally(() => mustFinish.delete(p));
    },

    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...held].map((h) => h.release()));
      held.clear();
      await Promise.allSettled([...mustFinish]);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
