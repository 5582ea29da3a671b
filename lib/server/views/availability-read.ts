import "server-only";
import type { AvailabilityResponse } from "@/lib/api/availability";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { availabilityMap } from "./availability";

/** Per metric: collected, unavailable (and why), failing, or not reported yet. */
export async function availabilityView(rt: Runtime, targetId: string): Promise<AvailabilityResponse> {
  const snap = rt.snapshot(targetId);
  const stored = await rt.store.metricStatus(targetId);
  return { targetId, metrics: availabilityMap(snap?.metrics ?? {}, Object.keys(snap?.tasks ?? {}), stored) };
}
