// Polling for a condition in integration tests: state that real servers reach in their own time
// (a sample landed, a session gone). Not a timing assertion: the bound only ends a hung test.

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 25): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
