import type { TargetSnapshot } from "@/lib/collector/types";
import type { Health, TargetHealth } from "@/lib/api/health";
import type { TargetConfig } from "@/lib/config/schema";

export interface StoreHealth {
  reachable: boolean;
  unreachableSince: Date | null;
  detail?: string | null;
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
  };
}

/** What the health answer is made of, as identities and times: a change is a new version (answer-cache.ts). */
export function healthVersion(snapshots: (TargetSnapshot | undefined)[], store: StoreHealth): unknown[] {
  return [
    store.reachable,
    store.unreachableSince?.getTime(),
    ...snapshots.flatMap((s) => [s?.up, s?.lastSampleAt?.getTime(), s?.lastError, s?.downSince?.getTime(), s?.capabilities]),
  ];
}
