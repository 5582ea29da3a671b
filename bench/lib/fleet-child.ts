import { startRuntimeOnce } from "@/lib/server/wiring/runtime";

// One pgpulse instance of the fleet bench as its own process, started as the server starts it
// (environment, config file, SIGTERM handler), speaking the fault tests' "FAULT " line protocol
// (test/faults/support.ts, startChildPgpulse): a ready line, one line per ok sample handed to
// the store (which instance collected which target when), and every STATS_EVERY_MS its own
// figures from its /api/metrics registry, so the parent needs no HTTP port per instance.

const STATS_EVERY_MS = 5_000;

function say(obj: Record<string, unknown>): void {
  process.stdout.write(`FAULT ${JSON.stringify(obj)}\n`);
}

const rt = await startRuntimeOnce();
const accept = rt.store.accept.bind(rt.store);
rt.store.accept = (r) => {
  accept(r);
  if (r.status === "ok" && r.metric !== "up") say({ accepted: { metric: r.metric, targetId: r.targetId, at: Date.now() } });
};

async function counterTotal(name: string): Promise<number> {
  const metric = rt.selfMetrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  return (await metric.get()).values.reduce((s, v) => s + v.value, 0);
}

setInterval(() => {
  void Promise.all([counterTotal("pgpulse_collection_skipped_total"), counterTotal("pgpulse_collection_errors_total")]).then(([skipped, errors]) =>
    say({ stats: { at: Date.now(), held: rt.collectors.size, skipped, errors } }),
  );
}, STATS_EVERY_MS).unref();
say({ ready: true, pid: process.pid });
