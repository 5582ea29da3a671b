// Starts the collector, the history store and the alert engine once per server process.
// Next calls register() on `next start` / `next dev`, never during `next build`.

export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { boot } = await import("./lib/server/wiring/boot");
  await boot();
}
