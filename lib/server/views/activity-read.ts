import "server-only";
import type { ActivityResponse } from "@/lib/api/activity";
import type { Role } from "@/lib/auth/roles";
import type { TargetConfig } from "@/lib/config/schema";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { toActivity } from "./activity";
import { availability, heldElsewhere, redactorFor } from "./sources";

/** Live sessions from the collector's latest stat_activity sample: no query on the target. */
export async function activityView(rt: Runtime, target: TargetConfig, role: Role): Promise<ActivityResponse> {
  const snap = rt.snapshot(target.id);
  const unavailable = await availability(rt, target.id, ["stat_activity"]);
  return toActivity({
    targetId: target.id,
    statActivity: snap?.metrics.stat_activity,
    cadenceMs: rt.cadenceMs("stat_activity"),
    connections: snap?.metrics.connections,
    unavailable: unavailable.stat_activity ?? heldElsewhere(rt, target.id),
    poolSize: target.poolSize ?? null,
    redact: await redactorFor(role),
  });
}

/**
 * The answer's cache key and version (answer-cache.ts): viewers get redacted SQL, so their
 * answer is apart; a new stat_activity or connections result is a new version. null while the
 * snapshot has no stat_activity yet (the availability is then read from the store).
 */
export function activityVersion(rt: Runtime, target: TargetConfig, role: Role): { key: string; version: readonly unknown[] | null } {
  const activity = rt.latest(target.id, "stat_activity");
  return { key: `activity:${target.id}:${role === "viewer" ? "redacted" : "full"}`, version: activity ? [activity, rt.latest(target.id, "connections")] : null };
}
