import type { Runtime } from "@/lib/server/wiring/runtime";

// The line protocol between a pgpulse child process (test/faults/child-pgpulse.ts, the fleet
// bench's bench/lib/fleet-child.ts) and its parent (startChildPgpulse in support.ts): stdout lines
// starting with FAULT_LINE_PREFIX carry one JSON object each; every other line is the child's log.

export const FAULT_LINE_PREFIX = "FAULT ";

export function sayToParent(obj: Record<string, unknown>): void {
  process.stdout.write(`${FAULT_LINE_PREFIX}${JSON.stringify(obj)}\n`);
}

/** Tells the parent of every ok sample handed to the history store, as `describe` puts it. */
export function reportAcceptedSamples(rt: Runtime, describe: (r: Parameters<Runtime["store"]["accept"]>[0]) => Record<string, unknown>): void {
  const accept = rt.store.accept.bind(rt.store);
  rt.store.accept = (r) => {
    accept(r);
    if (r.status === "ok" && r.metric !== "up") sayToParent({ accepted: describe(r) });
  };
}
