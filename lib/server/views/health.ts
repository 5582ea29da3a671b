import type { TargetSnapshot, TargetState } from "@/lib/collector/types";
import type { Health, InstanceHealth, TargetHealth } from "@/lib/api/health";
import type { TargetConfig } from "@/lib/config/schema";

export interface StoreHealth {
  reachable: boolean;
  unreachableSince: Date | null;
  detail?: string | null;
}

/** Who holds which target, as this instance last read the lease table. */
export interface FleetHealth {
  instances: InstanceHealth[];
  holderOf(targetId: string): { id: string; name: string } | null;
}

const noFleet: FleetHealth = { instances: [], holderOf: () => null };

/**
 * The lease table → /api/health's instances. An instance's targets are its live leases; one
 * that holds none (a standby instance, or just started) is listed too.
 */
export function fleetHealth(
  selfId: string,
  instances: ReadonlyArray<{ id: string; name: string; started_at: Date; heartbeat_at: Date }>,
  leases: ReadonlyArray<{ target_id: string; holder: string; holder_name: string; live: boolean }>,
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
  return { instances: rows, holderOf: (t) => byTarget.get(t) ?? null };
}

/**
 * ok: every target up and the store reachable; down: no target up (or none polled yet while
 * some failed); degraded: anything in between, including an unreachable store.
 */
export function computeHealth(
  version: string,
  targets: TargetConfig[],
  snapshots: (TargetSnapshot | undefined)[],
  store: StoreHealth,
  fleet: FleetHealth = noFleet,
): Health {
  const rows: TargetHealth[] = targets.map((t, i) => {
    const s = snapshots[i];
    const polled = !!s && (s.lastSampleAt !== null || s.lastError !== null);
    return {
      id: t.id,
      name: t.name,
      up: polled ? s!.up : null,
      serverVersion: s?.capabilities?.serverVersion ?? null,
      role: s?.capabilities?.role ?? null,
      lastSampleAt: s?.lastSampleAt?.toISOString() ?? null,
      lastError: s?.lastError ?? null,
      downSince: s?.downSince?.toISOString() ?? null,
      heldBy: fleet.holderOf(t.id),
    };
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

/** What the health answer is made of, as identities and times: a change is a new version (answer-cache.ts). */
export function healthVersion(states: (TargetState | undefined)[], store: StoreHealth): unknown[] {
  return [
    store.reachable,
    store.unreachableSince?.getTime(),
    ...states.flatMap((s) => [s?.up, s?.lastSampleAt?.getTime(), s?.lastError, s?.downSince?.getTime(), s?.capabilities]),
  ];
}
