import "server-only";
import { Gauge, Registry } from "prom-client";
import { getDefinition } from "@/lib/metrics/catalog";
import { defaultSeries } from "@/lib/store/convert";
import type { Runtime } from "@/lib/server/wiring/runtime";

// Prometheus exposition of the latest snapshot of every target: a second route to long-term
// metrics, built per scrape from memory (no query on any target). Counters are exposed raw —
// Prometheus computes rates itself — and only for metrics whose series are low-cardinality
// (`exposed` on their definition).

const metricName = (series: string) => `pgpulse_${series.replace(/[^a-zA-Z0-9_]/g, "_")}`;

export async function renderMetrics(rt: Runtime): Promise<{ body: string; contentType: string }> {
  const registry = new Registry();
  const gauges = new Map<string, Gauge>();
  const gauge = (name: string, help: string, labelNames: string[]) => {
    let g = gauges.get(name);
    if (!g) {
      g = new Gauge({ name, help, labelNames, registers: [registry] });
      gauges.set(name, g);
    }
    return g;
  };

  for (const target of rt.targets) {
    const snap = rt.snapshot(target.id);
    gauge("pgpulse_target_up", "1 when the last connectivity check succeeded", ["target"]).set({ target: target.id }, snap?.up ? 1 : 0);
    for (const [id, result] of Object.entries(snap?.metrics ?? {})) {
      const def = getDefinition(id);
      if (!def?.exposed || result.status !== "ok") continue;
      const series = def.toSeries ? def.toSeries(result.rows) : defaultSeries(def, result.rows);
      for (const s of series) {
        if (s.value === null) continue;
        const labels = { target: target.id, ...s.labels };
        const name = metricName(s.name) + (s.kind === "counter" ? "_total" : "");
        gauge(name, `${s.kind} ${s.name} from the ${id} metric`, Object.keys(labels)).set(labels, s.value);
      }
    }
  }

  const store = rt.store.status();
  gauge("pgpulse_store_reachable", "1 when the history store accepts writes", []).set(store.reachable ? 1 : 0);
  gauge("pgpulse_store_buffered_samples", "samples waiting in memory for the store", []).set(store.buffered);
  gauge("pgpulse_store_dropped_samples", "samples dropped past the memory bound since start", []).set(store.dropped);

  return { body: await registry.metrics(), contentType: registry.contentType };
}
