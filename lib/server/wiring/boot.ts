import "server-only";
import { startRuntimeOnce } from "./runtime";
import { startupFailureLine } from "./startup-failure";

/**
 * Any start-up failure (store port taken, data directory unusable, config or environment
 * invalid) ends the process with one line naming the cause and the fix. Throwing instead would
 * leave `next start` up: Next logs a failed instrumentation hook and answers every request 500.
 */
export async function boot(): Promise<void> {
  try {
    await startRuntimeOnce();
  } catch (e) {
    console.error(startupFailureLine(e));
    process.exit(1);
  }
}
