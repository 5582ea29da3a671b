import "server-only";
import type { Pool } from "pg";
import { readFleet, type Identity } from "./lease-store";
import type { FleetView } from "./leases";

// An instance that serves pages only holds no lease and sends no heartbeat (it must not count in
// the fair shares), yet its /api/health tells who polls each target and what that instance
// recorded. It reads the fleet at the lease cadence, the read a collecting instance's tick makes.

export interface FleetWatch {
  start(): Promise<void>;
  stop(): void;
  view(): FleetView;
}

export function createFleetWatch(opts: { pool: Pool; me: Identity; everyMs: number; log: { warn(obj: object, msg: string): void } }): FleetWatch {
  let view: FleetView = { self: opts.me, instances: [], leases: [], readAt: null };
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let failing = false;

  async function read(): Promise<void> {
    try {
      view = { self: opts.me, ...(await readFleet(opts.pool)), readAt: new Date() };
      failing = false;
    } catch (e) {
      // Once per outage; the view ages out (health treats an old view as unknown).
      if (!failing) opts.log.warn({ error: String(e) }, "fleet read failed; retrying");
      failing = true;
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => void read().finally(schedule), opts.everyMs);
    timer.unref();
  }

  return {
    async start() {
      await read();
      schedule();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    view: () => view,
  };
}
