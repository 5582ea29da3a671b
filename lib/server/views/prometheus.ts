import "server-only";
import { Counter, Gauge, Registry } from "prom-client";
import { outboxBacklog } from "@/lib/alerts/read";
import { getDefinition } from "@/lib/metrics/catalog";
import { defaultSeries } from "@/lib/store/convert";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { exposedName } from "./prometheus-names";

// Prometheus exposition: the latest snapshot of every target this instance holds, built per
// scrape from memory (no query on any target), then pgpulse's own health. Raw PostgreSQL
// counters are exposed as they are, typed `counter` (named by ./prometheus-names.ts; Prometheus
// computes rates and sees resets itself); only metrics whose series are low-cardinality
// (`exposed` on their definition). Targets held by another instance are exposed by that one:
// scrape every instance (docs/SCALING.md).

export async function renderMetrics(rt: Runtime): Promise<{ body: string; contentType: string }> {
  const registry = new Registry();
  const made = new Map<string, Gauge | Counter>();
  function metric<K extends "gauge" | "counter">(kind: K, name: string, help: string, labelNames: string[]): K extends "gauge" ? Gauge : Counter {
    let m = made.get(name);
    if (!m) {
      m = kind === "gauge" ? new Gauge({ name, help, labelNames, registers: [registry] }) : new Counter({ name, help, labelNames, registers: [registry] });
      made.set(name, m);
    }
    return m as K extends "gauge" ? Gauge : Counter;
  }

  for (const target of rt.targets) {
    const snap = rt.snapshot(target.id);
    if (!snap) continue; // not held here: its holder exposes it
    metric("gauge", "pgpulse_target_up", "1 when the last connectivity check succeeded", ["target"]).set({ target: target.id }, snap.up ? 1 : 0);
    for (const [id, result] of Object.entries(snap.metrics)) {
      const def = getDefinition(id);
      if (!def?.exposed || result.status !== "ok") continue;
      const series = def.toSeries ? def.toSeries(result.rows) : defaultSeries(def, result.rows);
      for (const s of series) {
        if (s.value === null) continue;
        const labels = { target: target.id, ...s.labels };
        const help = `${s.name} from the ${id} metric`;
        const { name, scale } = exposedName(s.name, s.kind);
        // A fresh registry per scrape, so inc() from zero sets the counter to the raw value.
        if (s.kind === "counter") metric("counter", name, help, Object.keys(labels)).inc(labels, s.value * scale);
        else metric("gauge", name, help, Object.keys(labels)).set(labels, s.value * scale);
      }
    }
  }

  const store = rt.store.status();
  metric("gauge", "pgpulse_store_reachable", "1 when the history store accepts writes", []).set(store.reachable ? 1 : 0);
  metric("gauge", "pgpulse_store_buffered_samples", "samples waiting in memory for the store", []).set(store.buffered);
  metric("gauge", "pgpulse_store_buffered_events", "events waiting in memory for the store", []).set(store.bufferedEvents);
  metric("counter", "pgpulse_store_dropped_samples_total", "samples dropped past the memory bound", []).inc(store.dropped);
  metric("counter", "pgpulse_store_rejected_batches_total", "write batches refused by the store (not retried)", []).inc(store.rejectedBatches);
  metric("gauge", "pgpulse_leases_held", "target leases this instance holds", []).set(rt.leases?.held().length ?? rt.collectors.size);
  metric("gauge", "pgpulse_targets_configured", "targets in this instance's config (the fleet should hold as many leases)", []).set(rt.targets.length);
  if (rt.leases) metric("gauge", "pgpulse_fleet_instances", "live instances sharing the store, as last read", []).set(rt.leases.view().instances.length);
  // The outbox is in the store: while it is unreachable the gauge is absent, not zero.
  const backlog = store.reachable ? await outboxBacklog(rt.store.pool).catch(() => null) : null;
  if (backlog) {
    metric("gauge", "pgpulse_outbox_pending", "notifications waiting to be sent (all instances)", []).set(backlog.pending);
    metric("gauge", "pgpulse_outbox_oldest_pending_seconds", "age of the oldest notification waiting to be sent", []).set(backlog.oldestSeconds ?? 0);
  }

  const merged = Registry.merge([registry, rt.selfMetrics.registry]);
  return { body: await merged.metrics(), contentType: merged.contentType };
}
