import "server-only";
import { startRuntimeOnce } from "./runtime";

/** A wrong config or environment stops start-up with a message naming the field. */
export async function boot(): Promise<void> {
  try {
    await startRuntimeOnce();
  } catch (e) {
    console.error(`pgpulse: cannot start\n${(e as Error).message}`);
    process.exit(1);
  }
}
