import { startRuntimeOnce } from "@/lib/server/wiring/runtime";

// pgpulse as its own process, started exactly as the server starts it (environment, config
// file, embedded store when PGPULSE_STORE_URL is unset, SIGTERM/SIGINT handlers), so the fault
// tests can SIGKILL it mid-work or SIGTERM it and watch what survives. Run with
// `node --conditions=react-server --import tsx test/faults/child-pgpulse.ts`.
//
// stdout lines starting with "FAULT " are for the parent: one when ready, and one per ok sample
// handed to the history store (metric, target, ts), so it can check those samples were written.

function say(obj: Record<string, unknown>): void {
  process.stdout.write(`FAULT ${JSON.stringify(obj)}\n`);
}

const rt = await startRuntimeOnce();
const accept = rt.store.accept.bind(rt.store);
rt.store.accept = (r) => {
  accept(r);
  if (r.status === "ok" && r.metric !== "up") say({ accepted: { metric: r.metric, targetId: r.targetId, ts: r.ts.toISOString() } });
};
say({ ready: true, pid: process.pid });
