import { startWorkload, type WorkloadOptions } from "@/lib/demo/workload";
import { sayToParent } from "../faults/child-protocol";

// The demo's workload as a process of its own, so a test can SIGKILL it mid-cycle: nothing it
// made is undone, as when the demo is killed. Options come as JSON in DEMO_WORKLOAD (the reports
// server as its superuser URL, never stopped here); each workload log line goes to the parent.
// Run with `node --conditions=react-server --import tsx test/demo/child-workload.ts`.

type ChildOptions = Omit<WorkloadOptions, "reports" | "log"> & { reportsUrl?: string };

const { reportsUrl, ...opts } = JSON.parse(process.env.DEMO_WORKLOAD ?? "{}") as ChildOptions;
const urlOf = (database = "postgres") => {
  const u = new URL(reportsUrl!);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
};
const reports = reportsUrl ? { url: urlOf, adminUrl: reportsUrl, running: () => true, stop: async () => {}, start: async () => {} } : undefined;
await startWorkload({ ...opts, reports, log: (line) => sayToParent({ log: line }) });
sayToParent({ ready: true, pid: process.pid });
