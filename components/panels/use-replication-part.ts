"use client";

import type { ReplicationResponse } from "@/lib/api/replication";
import { REFRESH_MS } from "@/lib/limits";
import { useReplication } from "./queries";
import { usePanelState } from "./use-panel-state";

type Part = Exclude<keyof ReplicationResponse, "targetId">;

/**
 * One part of the replication answer with its panel state: each part has its own sample time and
 * cadence, so a stale archiver never makes the slots look stale. The page costs one request.
 */
export function useReplicationPart<K extends Part>(targetId: string, part: K) {
  const res = useReplication(targetId);
  const data = res.data?.[part] as ReplicationResponse[K] | undefined;
  const { state, now } = usePanelState(res, {
    everyMs: 5000,
    sampled: { takenAt: data?.takenAt ?? null, cadenceMs: data?.cadenceMs ?? 0, slackMs: REFRESH_MS.charts },
  });
  return { res, data, state, now, role: res.data?.role.role ?? null };
}
