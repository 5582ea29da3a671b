// Polling for a condition in integration tests: state that real servers reach in their own time
// (a sample landed, a session gone). Not a timing assertion: the bound only ends a hung test.

/** Polls until fn returns a truthy value (returned), or throws naming what was awaited. */
export async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 15_000, stepMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
