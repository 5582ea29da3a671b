import type { ServerRole, TargetState } from "@/lib/collector/types";
import type { LeaseRow } from "@/lib/fleet/lease-store";

// A target's up/down, since when, why, and the server it reached: from this instance's snapshot
// when it polls the target, else from what the polling instance recorded in the store. One
// mapping for /api/health and the fleet list, so both say the same of every target.

export interface ShownState {
  /** null: unknown (not polled yet, or nobody holds its lease now). */
  up: boolean | null;
  downSince: string | null;
  lastError: string | null;
  lastSampleAt: string | null;
  serverVersion: string | null;
  role: ServerRole | null;
}

export type StoredTarget = Pick<LeaseRow, "live" | "last_sample_at" | "up" | "down_since" | "error" | "server_version" | "role">;

function snapshotState(s: TargetState | undefined): ShownState {
  const polled = !!s && (s.lastSampleAt !== null || s.lastError !== null);
  return {
    up: polled ? s.up : null,
    downSince: s?.downSince?.toISOString() ?? null,
    lastError: s?.lastError ?? null,
    lastSampleAt: s?.lastSampleAt?.toISOString() ?? null,
    serverVersion: s?.capabilities?.serverVersion ?? null,
    role: s?.capabilities?.role ?? null,
  };
}

/**
 * A lease nobody renews any more says nothing current: unknown, never "down" by guess; only the
 * last sample time stays true. The server version and role outlive an outage, as in the
 * snapshot (the last server reached).
 */
function storedState(t: StoredTarget | undefined): ShownState {
  const lastSampleAt = t?.last_sample_at?.toISOString() ?? null;
  if (!t?.live) return { up: null, downSince: null, lastError: null, lastSampleAt, serverVersion: null, role: null };
  const down = t.up === false;
  return {
    up: t.up,
    downSince: down ? (t.down_since?.toISOString() ?? null) : null,
    lastError: down ? t.error : null,
    lastSampleAt,
    serverVersion: t.server_version,
    role: t.role,
  };
}

/** What a target shows: this instance's own poll when it has one, else the holder's record. */
export function shownState(own: TargetState | undefined, stored: StoredTarget | undefined): ShownState {
  return own ? snapshotState(own) : storedState(stored);
}
