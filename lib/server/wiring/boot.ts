import "server-only";
import { installReadLane } from "@/lib/server/http/read-lane";
import { READ_LANE_ROUTES } from "@/lib/server/http/read-lane-routes";
import { runtimeIfStarted, startRuntimeOnce } from "./runtime";
import { startupFailureLine } from "./startup-failure";

/**
 * Any start-up failure (store port taken, data directory unusable, config or environment
 * invalid) ends the process with one line naming the cause and the fix. Throwing instead would
 * leave `next start` up: Next logs a failed instrumentation hook and answers every request 500.
 */
export async function boot(): Promise<void> {
  // Before the runtime: a read arriving while pgpulse starts gets its route's own 503.
  installReadLane(READ_LANE_ROUTES, (route, status) => runtimeIfStarted()?.selfMetrics.readLaneAnswer(route, status));
  try {
    await startRuntimeOnce();
  } catch (e) {
    console.error(startupFailureLine(e));
    process.exit(1);
  }
}
