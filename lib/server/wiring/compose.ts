import "server-only";
import type { Pool } from "pg";
import type pino from "pino";
import { thresholdsFor } from "@/lib/config/load";
import type { PgpulseConfig, TargetConfig, Thresholds } from "@/lib/config/schema";
import { createCollector, type Collector } from "@/lib/collector/collector";
import { catalogTasks } from "@/lib/collector/definition-tasks";
import type { TargetSnapshot } from "@/lib/collector/types";
import { createStore, type Store, type StoreOptions } from "@/lib/store/index";
import { createAlertEngine, type AlertEngine } from "@/lib/alerts/engine";
import { createDeliveryWorker, type DeliveryWorker } from "@/lib/alerts/delivery";
import { createTargetPool } from "@/lib/db/pool";
import type { Health } from "@/lib/api/health";
import { computeHealth } from "@/lib/server/views/health";
import { metricCadenceMs, rowHistoryCadenceMs } from "./cadence";
import { APPLICATION_NAMES } from "@/lib/db/application-names";

// The whole monitoring loop — store, alert engine, delivery, one collector per target — built
// from a validated config and a store URL. The server runtime and the fault tests both use it.

export interface PgpulseOptions {
  config: PgpulseConfig;
  storeUrl: string;
  version: string;
  demo?: boolean;
  log: pino.Logger;
  /** Start collectors (off for processes that only serve pages). */
  collect?: boolean;
  /** Per-metric interval overrides (PGPULSE_INTERVALS), e.g. shorter cadences in tests. */
  intervals?: Record<string, number>;
  /** History store tuning (buffer bounds, flush cadence), e.g. small bounds in fault tests. */
  store?: Partial<Omit<StoreOptions, "url" | "log">>;
  /** Called last by stop(), e.g. to stop an embedded store. */
  onStop?: () => Promise<void>;
}

export interface Pgpulse {
  version: string;
  startedAt: Date;
  config: PgpulseConfig;
  demo: boolean;
  targets: TargetConfig[];
  store: Store;
  alerts: AlertEngine;
  delivery: DeliveryWorker;
  collectors: Map<string, Collector>;
  thresholds(targetId: string): Thresholds;
  target(targetId: string): TargetConfig | undefined;
  snapshot(targetId: string): TargetSnapshot | undefined;
  /** How often a metric is collected here: its interval or its override. Pages judge staleness by it. */
  cadenceMs(metricId: string): number;
  /** How far apart a metric's sets in the row history are (the history pages draw). */
  rowHistoryCadenceMs(metricId: string): number;
  /**
   * A separate one-connection pool for explicit, role-gated actions on a target (EXPLAIN,
   * cancel, terminate) — the only queries a request may cause on a target; callers rate-limit.
   */
  actionPool(targetId: string): Pool;
  /** EXPLAIN's pool: the target's planning role (explainUrl) when configured, else actionPool. */
  explainPool(targetId: string): Pool;
  health(): Health;
  stop(): Promise<void>;
}

export async function startPgpulse(opts: PgpulseOptions): Promise<Pgpulse> {
  const { config, log } = opts;
  const store = createStore({ ...opts.store, url: opts.storeUrl, log: log.child({ part: "store" }) });
  await store.migrate();
  store.startMaintenance();

  // Notifications link to the dashboard's publicUrl when one is configured, else relatively.
  const alerts = createAlertEngine({ pool: store.pool, config, log: log.child({ part: "alerts" }), publicUrl: config.publicUrl });
  await alerts.start();
  const delivery = createDeliveryWorker({ pool: store.pool, channels: config.channels, log: log.child({ part: "delivery" }) });
  delivery.start();

  const collectors = new Map<string, Collector>();
  if (opts.collect !== false) {
    for (const target of config.targets) {
      const clog = log.child({ part: "collector", target: target.id });
      const c = createCollector({
        target,
        thresholds: thresholdsFor(config, target),
        sinks: [store, alerts],
        tasks: catalogTasks(),
        intervals: opts.intervals,
        log: { warn: (obj, msg) => clog.warn(obj, msg), info: (obj, msg) => clog.info(obj, msg) },
      });
      c.start();
      collectors.set(target.id, c);
    }
  }

  const byId = new Map(config.targets.map((t) => [t.id, t]));
  const actionPools = new Map<string, Pool>();
  // EXPLAIN's own one-connection pool when the target names a planning role: its connection is
  // closed after each EXPLAIN (runExplain), so none is held between requests.
  const explainPools = new Map<string, Pool>();
  const actionPoolFor = (id: string, use: "action" | "explain"): Pool => {
    const target = byId.get(id);
    if (!target) throw new Error(`unknown target ${id}`);
    const planningUrl = use === "explain" ? target.explainUrl : undefined;
    const pools = planningUrl ? explainPools : actionPools;
    let pool = pools.get(id);
    if (!pool) {
      pool = createTargetPool({ url: planningUrl ?? target.url, max: 1, applicationName: APPLICATION_NAMES.action, statementTimeoutMs: 30_000 });
      pools.set(id, pool);
    }
    return pool;
  };
  let stopping: Promise<void> | null = null;

  return {
    version: opts.version,
    startedAt: new Date(),
    config,
    demo: opts.demo ?? false,
    targets: config.targets,
    store,
    alerts,
    delivery,
    collectors,
    thresholds: (id) => thresholdsFor(config, byId.get(id) ?? config.targets[0]),
    target: (id) => byId.get(id),
    snapshot: (id) => collectors.get(id)?.snapshot(),
    cadenceMs: (metricId) => metricCadenceMs(metricId, opts.intervals),
    rowHistoryCadenceMs: (metricId) => rowHistoryCadenceMs(metricId, opts.intervals, store.rowHistoryEveryMs),
    actionPool(id) {
      return actionPoolFor(id, "action");
    },
    explainPool(id) {
      return actionPoolFor(id, "explain");
    },
    health() {
      const s = store.status();
      return computeHealth(
        opts.version,
        config.targets,
        config.targets.map((t) => collectors.get(t.id)?.snapshot()),
        { reachable: s.reachable, unreachableSince: s.unreachableSince },
      );
    },
    stop() {
      // Graceful: stop polling, evaluate what arrived, flush writes, then close connections.
      stopping ??= (async () => {
        await Promise.allSettled([...collectors.values()].map((c) => c.stop()));
        await Promise.allSettled([...actionPools.values(), ...explainPools.values()].map((p) => p.end()));
        await alerts.idle().catch(() => {});
        await alerts.stop().catch(() => {});
        await delivery.stop().catch(() => {});
        await store.flush().catch(() => {});
        await store.close().catch(() => {});
        if (opts.onStop) await opts.onStop().catch(() => {});
      })();
      return stopping;
    },
  };
}
