import type { TargetState } from "@/lib/collector/types";
import type { Health, InstanceHealth, TargetHealth } from "@/lib/api/health";
import type { TargetConfig } from "@/lib/config/schema";
import { shownState, type StoredTarget } from "./target-state";

export interface StoreHealth {
  reachable: boolean;
  unreachableSince: Date | null;
  detail?: string | null;
}

/** Who holds which target, as this instance last read the lease table, and what the holder recorded. */
export interface FleetHealth {
  instances: InstanceHealth[];
  holderOf(targetId: string): { id: string; name: string } | null;
  /** The target's lease row with its recorded state; undefined when it has none. */
  storedOf(targetId: string): StoredTarget | undefined;
}

const noFleet: FleetHealth = { instances: [], holderOf: () => null, storedOf: () => undefined };

/**
 * The lease table → /api/health's instances. An instance's targets are its live leases; one
 * that holds none (a standby instance, or just started) is listed too.
 */
export function fleetHealth(
  selfId: string,
  instances: ReadonlyArray<{ id: string; name: string; started_at: Date; heartbeat_at: Date }>,
  leases: ReadonlyArray<{ target_id: string; holder: string; holder_name: string } & StoredTarget>,
): FleetHealth {
  const live = leases.filter((l) => l.live);
  const rows: InstanceHealth[] = instances.map((i) => ({
    id: i.id,
    name: i.name,
    self: i.id === selfId,
    startedAt: i.started_at.toISOString(),
    heartbeatAt: i.heartbeat_at.toISOString(),
    targets: live.filter((l) => l.holder === i.id).map((l) => l.target_id),
  }));
  const byTarget = new Map(live.map((l) => [l.target_id, { id: l.holder, name: l.holder_name }]));
  const stored = new Map(leases.map((l) => [l.target_id, l]));
  return { instances: rows, holderOf: (t) => byTarget.get(t) ?? null, storedOf: (t) => stored.get(t) };
}

/**
 * ok: every target up and the store reachable; down: no target up (or none polled yet while
 * some failed); degraded: anything in between, including an unreachable store. A target another
 * instance polls counts with the state that instance recorded in the store; one nobody holds
 * is unknown and does not count.
 */
export function computeHealth(
  version: string,
  targets: TargetConfig[],
  states: (TargetState | undefined)[],
  store: StoreHealth,
  fleet: FleetHealth = noFleet,
): Health {
  const rows: TargetHealth[] = targets.map((t, i) => {
    return { id: t.id, name: t.name, ...shownState(states[i], fleet.storedOf(t.id)), heldBy: fleet.holderOf(t.id) };
  });
  const up = rows.filter((r) => r.up === true).length;
  const down = rows.filter((r) => r.up === false).length;
  let status: Health["status"] = "ok";
  if (rows.length > 0 && up === 0 && down > 0) status = "down";
  else if (down > 0 || !store.reachable) status = "degraded";
  return {
    status,
    version,
    store: {
      reachable: store.reachable,
      since: store.unreachableSince?.toISOString() ?? null,
      detail: store.reachable ? null : `store unreachable since ${store.unreachableSince?.toISOString() ?? "start"}`,
    },
    targets: rows,
    instances: fleet.instances,
  };
}

/**
 * What the health answer is made of, as identities and times: a change is a new version
 * (answer-cache.ts). `fleet`: the fleet as last read (a new read is a new object) and whether
 * it is still fresh enough to vouch for live leases.
 */
export function healthVersion(states: (TargetState | undefined)[], store: StoreHealth, fleet?: { view: object; fresh: boolean } | null): unknown[] {
  return [
    store.reachable,
    store.unreachableSince?.getTime(),
    fleet?.view,
    fleet?.fresh,
    ...states.flatMap((s) => [s?.up, s?.lastSampleAt?.getTime(), s?.lastError, s?.downSince?.getTime(), s?.capabilities]),
  ];
}
