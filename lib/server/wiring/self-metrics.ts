import "server-only";
import { Counter, Histogram, Registry } from "prom-client";
import type { SampleSink } from "@/lib/collector/types";
import type { LeaseChange } from "@/lib/fleet/leases";
import type { RunCounts } from "@/lib/alerts/delivery";

// pgpulse's own health for /api/metrics, fed as things happen (the per-scrape figures —
// buffer depth, outbox backlog, leases held — are read at scrape time in views/prometheus.ts).
// Labels are bounded on purpose: a target id, a metric id from the catalog, or an outcome from
// a closed list; never an object name, a query, a channel URL or an error text.

export interface SelfMetrics {
  registry: Registry;
  /** Sees every collector result: run duration and errors per target and metric. */
  sink: SampleSink;
  skipped(targetId: string, metric: string): void;
  storeWrite(seconds: number, ok: boolean): void;
  delivery(outcome: keyof RunCounts): void;
  leaseChange(change: LeaseChange, targetId: string): void;
  /** An answer of the read lane (lib/server/http/read-lane.ts): its route path and status. */
  readLaneAnswer(route: string, status: number): void;
}

export function createSelfMetrics(): SelfMetrics {
  const registry = new Registry();
  const duration = new Histogram({
    name: "pgpulse_collection_duration_seconds",
    help: "Duration of a collection run, per target and metric",
    labelNames: ["target", "metric"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const errors = new Counter({ name: "pgpulse_collection_errors_total", help: "Collection runs that failed, per target and metric", labelNames: ["target", "metric"], registers: [registry] });
  const skipped = new Counter({
    name: "pgpulse_collection_skipped_total",
    help: "Scheduled runs skipped because the previous run of the same metric had not finished",
    labelNames: ["target", "metric"],
    registers: [registry],
  });
  const writes = new Histogram({
    name: "pgpulse_store_write_duration_seconds",
    help: "Duration of a flush of buffered writes to the history store",
    labelNames: ["outcome"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const deliveries = new Counter({ name: "pgpulse_notifications_total", help: "Notification attempts by outcome (delivered, retried, failed, dead)", labelNames: ["outcome"], registers: [registry] });
  const leases = new Counter({
    name: "pgpulse_lease_changes_total",
    help: "Target lease changes on this instance (acquired, taken, fenced, shed, stopping)",
    labelNames: ["target", "change"],
    registers: [registry],
  });

  const readLane = new Counter({
    name: "pgpulse_http_read_lane_answers_total",
    help: "Answers to hot reads served ahead of Next's request pipeline, per route and status",
    labelNames: ["route", "status"],
    registers: [registry],
  });

  return {
    registry,
    sink: {
      accept(r) {
        // "up" is derived from the probe, and "unavailable" is not a run.
        if (r.metric === "up" || r.status === "unavailable") return;
        duration.observe({ target: r.targetId, metric: r.metric }, r.durationMs / 1000);
        if (r.status === "error") errors.inc({ target: r.targetId, metric: r.metric });
      },
    },
    skipped: (target, metric) => skipped.inc({ target, metric }),
    storeWrite: (seconds, ok) => writes.observe({ outcome: ok ? "ok" : "error" }, seconds),
    delivery: (outcome) => deliveries.inc({ outcome }),
    leaseChange: (change, target) => leases.inc({ target, change }),
    readLaneAnswer: (route, status) => readLane.inc({ route, status: String(status) }),
  };
}
