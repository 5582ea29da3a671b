// Starts the collector, the history store and the alert engine once per server process.
// Next calls register() on `next start` / `next dev`, never during `next build`. boot() never
// throws: a failed start prints one line (cause and fix) and exits 1, since Next would otherwise
// log the error, stay up and answer every request with a 500.

export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { boot } = await import("./lib/server/wiring/boot");
  await boot();
}
