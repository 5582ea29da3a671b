import { startRuntimeOnce } from "@/lib/server/wiring/runtime";
import { reportAcceptedSamples, sayToParent } from "@/test/faults/child-protocol";

// One pgpulse instance of the fleet bench as its own process, started as the server starts it
// (environment, config file, SIGTERM handler), speaking the fault tests' line protocol
// (test/faults/support.ts, startChildPgpulse): a ready line, one line per ok sample handed to
// the store (which instance collected which target when), and every STATS_EVERY_MS its own
// figures from its /api/metrics registry, so the parent needs no HTTP port per instance.

const STATS_EVERY_MS = 5_000;

const rt = await startRuntimeOnce();
reportAcceptedSamples(rt, (r) => ({ metric: r.metric, targetId: r.targetId, at: Date.now() }));

/** A counter of the registry summed, by one of its labels when given. */
async function counterTotals(name: string, by?: string): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  const metric = rt.selfMetrics.registry.getSingleMetric(name);
  for (const v of metric ? (await metric.get()).values : []) {
    const k = by ? String(v.labels[by]) : "all";
    totals[k] = (totals[k] ?? 0) + v.value;
  }
  return totals;
}

setInterval(() => {
  void Promise.all([counterTotals("pgpulse_collection_skipped_total"), counterTotals("pgpulse_lease_changes_total", "change")]).then(([skipped, leases]) =>
    sayToParent({ stats: { at: Date.now(), held: rt.collectors.size, skipped: skipped.all ?? 0, leases } }),
  );
}, STATS_EVERY_MS).unref();
sayToParent({ ready: true, pid: process.pid });
