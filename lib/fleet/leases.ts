import "server-only";
import type { Pool } from "pg";
import { acquire, forgetOldInstances, heartbeat, leave, readFleet, release, renew, type FenceToken, type Identity, type InstanceRow, type LeaseRow } from "./lease-store";
import { planLeases } from "./plan";

// Target leases held in the store. Why lease rows with an expiry rather than
// pg_try_advisory_lock on a dedicated session: an advisory lock lives as long as its session on
// the server, and the server learns that a partitioned or frozen client is gone only when TCP
// keepalive gives up (minutes by default) — so takeover time would depend on kernel settings,
// not on us — and a pooler in transaction mode drops session locks silently. A row with an
// expiry on the store's clock bounds takeover by the TTL, is visible to every instance (who
// holds what, for /api/health), and gives a fencing token (the epoch) that writes can check.
//
// Timing (ttl = lease duration): renewal every ttl/4; the holder's own deadline is ttl·3/4
// after it *sent* its last successful renewal, which is before the store stamped the expiry, so
// it stops collecting before any other instance may take the target (a quarter of the TTL
// spare for clock rates and the tick). A dead holder's targets are free ttl after its last
// renewal and taken at the next tick of another instance: takeover ≤ ttl·5/4 + first run.

const FORGET_EVERY_TICKS = 1_000;
// Targets taken per statement: one round trip for a batch, small enough that a batch and the
// start of its targets fit well inside a tick's budget.
const ACQUIRE_BATCH = 50;
// Share of the TTL a tick may spend taking targets. A tick renews at its start and the next one
// starts ttl/4 after it ends, so renewals stay ≤ ttl/2 + one batch apart, inside the ¾ ttl fence.
const ACQUIRE_BUDGET = 1 / 4;

export type LoseReason = "taken" | "fenced" | "shed" | "stopping";
export type LeaseChange = "acquired" | LoseReason;

export interface LeaseManagerOptions {
  /** A pool of its own: renewals must not queue behind the store's batch writes. */
  pool: Pool;
  me: Identity;
  targets: () => readonly string[];
  ttlMs: number;
  /** Start serving a target (load its open alerts, start its collector); a throw gives it back. */
  onAcquire(targetId: string): Promise<void>;
  /** Stop serving it (stop its collector, forget its alert state). */
  onLose(targetId: string, reason: LoseReason): Promise<void>;
  onChange?(change: LeaseChange, targetId: string): void;
  /** A held target's last sample time, recorded with each renewal for the other instances. */
  lastSampleAt?(targetId: string): Date | null;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  random?: () => number;
}

export interface FleetView {
  self: Identity;
  instances: InstanceRow[];
  leases: LeaseRow[];
  /** When the view was read; null before the first read. */
  readAt: Date | null;
}

export interface LeaseManager {
  /**
   * Runs the first tick (a lone instance holds every target when it returns, unless starting
   * them outlasted the tick's budget: the rest follow at the next ticks), then keeps ticking.
   */
  start(): Promise<void>;
  /** Stops serving every target and releases the leases at once, for a quick handover. */
  stop(): Promise<void>;
  /** The fencing token for writes about a target, or null when this instance must not write. */
  token(targetId: string): FenceToken | null;
  held(): string[];
  view(): FleetView;
}

export function createLeaseManager(opts: LeaseManagerOptions): LeaseManager {
  const { pool, me, ttlMs, log } = opts;
  const tickMs = Math.max(50, Math.floor(ttlMs / 4));
  const held = new Map<string, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let fenceTimer: NodeJS.Timeout | null = null;
  let peers = 0;
  let soloWarned = false;
  let ticks = 0;
  let failing = false;
  let view: FleetView = { self: me, instances: [], leases: [], readAt: null };
  // Ticks, fencing and stop change `held` one at a time.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => {});
    return next;
  };

  async function lose(targetId: string, reason: LoseReason): Promise<void> {
    if (!held.delete(targetId)) return;
    opts.onChange?.(reason, targetId);
    log.info({ targetId, reason }, "lease lost");
    await opts.onLose(targetId, reason).catch((e: unknown) => log.warn({ targetId, error: String(e) }, "stopping a lost target failed"));
  }

  function armFence(sentAt: number): void {
    if (fenceTimer) clearTimeout(fenceTimer);
    const deadline = sentAt + (ttlMs * 3) / 4;
    // Not queued behind the tick: a tick may be stuck on the very store that stopped answering.
    fenceTimer = setTimeout(() => void fenceOut(), Math.max(0, deadline - performance.now()));
  }

  // No renewal for ¾ of the TTL: the store may soon hand our targets to another instance.
  async function fenceOut(): Promise<void> {
    if (stopped || held.size === 0) return;
    if (peers === 0) {
      // Alone at last contact: nobody can take over, and stopping would leave every target
      // unwatched through a store outage. Collection goes on; alert writes are still fenced by
      // epoch when the store answers again, so a newcomer that took over meanwhile wins.
      if (!soloWarned) log.warn({ targets: held.size }, "store unreachable: no other instance seen, keeping targets");
      soloWarned = true;
      return;
    }
    log.warn({ targets: held.size, peers }, "lease not renewed in time: stopping collection (fenced)");
    for (const t of [...held.keys()]) await lose(t, "fenced");
  }

  // Starts one acquired target; false when it had to be given back.
  async function startServing(t: string, epoch: number): Promise<boolean> {
    try {
      await opts.onAcquire(t);
      // Fenced while starting it (the store slowed past the deadline): undo the start.
      if (!held.has(t)) {
        await opts.onLose(t, "fenced").catch(() => {});
        return false;
      }
      opts.onChange?.("acquired", t);
      log.info({ targetId: t, epoch }, "lease acquired");
      return true;
    } catch (e) {
      held.delete(t);
      log.warn({ targetId: t, error: String(e) }, "could not start a leased target; releasing it");
      await release(pool, me, [t]).catch(() => {});
      return false;
    }
  }

  // Takes free targets a batch per statement until the tick's budget is spent; what is left
  // waits for the next tick, so the next renewal always comes before the fence deadline.
  async function acquireWithin(wanted: readonly string[], budgetEnd: number): Promise<void> {
    for (let i = 0; i < wanted.length && !stopped && performance.now() < budgetEnd; i += ACQUIRE_BATCH) {
      const got = await acquire(pool, me, ttlMs, wanted.slice(i, i + ACQUIRE_BATCH));
      for (const [t, epoch] of got) held.set(t, epoch);
      const unstarted: string[] = [];
      for (const [t, epoch] of got) {
        if (!held.has(t)) continue; // fenced meanwhile: already given up
        if (stopped || performance.now() >= budgetEnd) unstarted.push(t);
        else await startServing(t, epoch);
      }
      if (unstarted.length) {
        // Taken but out of time to start: free them now rather than hold them unwatched.
        for (const t of unstarted) held.delete(t);
        await release(pool, me, unstarted);
      }
    }
  }

  // Stop first, release second (one statement): the next holder never overlaps with us.
  async function handOver(targetIds: readonly string[]): Promise<void> {
    if (targetIds.length === 0) return;
    await Promise.all(targetIds.map((t) => lose(t, "shed")));
    await release(pool, me, targetIds);
  }

  async function tick(): Promise<void> {
    // Renewal first, before any acquisition or hand-over work of this tick.
    const sentAt = performance.now();
    await heartbeat(pool, me, ttlMs);
    const kept = await renew(pool, me, ttlMs, held, (t) => opts.lastSampleAt?.(t) ?? null);
    if (held.size > 0 || kept.size > 0) armFence(sentAt);
    soloWarned = false;
    for (const t of [...held.keys()]) if (!kept.has(t)) await lose(t, "taken");

    const fleet = await readFleet(pool);
    view = { self: me, ...fleet, readAt: new Date() };
    peers = fleet.instances.filter((i) => i.id !== me.id).length;
    const targets = opts.targets();
    const plan = planLeases({
      self: me.id,
      targets,
      held: new Set(held.keys()),
      leases: fleet.leases.map((l) => ({ targetId: l.target_id, holder: l.holder, live: l.live })),
      instances: fleet.instances.some((i) => i.id === me.id) ? fleet.instances.map((i) => i.id) : [...fleet.instances.map((i) => i.id), me.id],
      random: opts.random,
    });
    await handOver(plan.shed);
    // A target dropped from the config is no longer ours to watch.
    await handOver([...held.keys()].filter((t) => !targets.includes(t)));
    if (plan.acquire.length) armFence(sentAt);
    await acquireWithin(plan.acquire, sentAt + ttlMs * ACQUIRE_BUDGET);
    if (plan.acquire.length || plan.shed.length) view = { self: me, ...(await readFleet(pool)), readAt: new Date() };
    if (++ticks % FORGET_EVERY_TICKS === 0) await forgetOldInstances(pool);
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void serial(tick)
        .then(() => {
          if (failing) log.info({}, "lease ticks succeed again");
          failing = false;
        })
        .catch((e: unknown) => {
          // Once per outage, not every tick.
          if (!failing) log.warn({ error: String(e) }, "lease tick failed; retrying every tick");
          failing = true;
        })
        .finally(schedule);
    }, tickMs);
  }

  return {
    async start() {
      await serial(tick).catch((e: unknown) => log.warn({ error: String(e) }, "first lease tick failed"));
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (fenceTimer) clearTimeout(fenceTimer);
      await serial(async () => {
        const mine = [...held.keys()];
        for (const t of mine) await lose(t, "stopping");
        await release(pool, me, mine).catch(() => {});
        await leave(pool, me).catch(() => {});
      });
    },
    token(targetId) {
      const epoch = held.get(targetId);
      return epoch === undefined ? null : { targetId, holder: me.id, epoch };
    },
    held: () => [...held.keys()],
    view: () => view,
  };
}
