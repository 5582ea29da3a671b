import { startRuntimeOnce } from "@/lib/server/wiring/runtime";
import { reportAcceptedSamples, sayToParent } from "./child-protocol";

// pgpulse as its own process, started exactly as the server starts it (environment, config
// file, embedded store when PGPULSE_STORE_URL is unset, SIGTERM/SIGINT handlers), so the fault
// tests can SIGKILL it mid-work or SIGTERM it and watch what survives. Run with
// `node --conditions=react-server --import tsx test/faults/child-pgpulse.ts`.
//
// Lines for the parent (./child-protocol.ts): one when ready, and one per ok sample
// handed to the history store (metric, target, ts), so it can check those samples were written.

const rt = await startRuntimeOnce();
reportAcceptedSamples(rt, (r) => ({ metric: r.metric, targetId: r.targetId, ts: r.ts.toISOString() }));
sayToParent({ ready: true, pid: process.pid });
