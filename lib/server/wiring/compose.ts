import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import type { Pool } from "pg";
import type pino from "pino";
import { thresholdsFor } from "@/lib/config/load";
import type { PgpulseConfig, TargetConfig, Thresholds } from "@/lib/config/schema";
import { createCollector, type Collector } from "@/lib/collector/collector";
import { catalogTasks } from "@/lib/collector/definition-tasks";
import { createServerShares, serverKey } from "@/lib/collector/server-share";
import { createCollectionLimits } from "@/lib/collector/limits";
import { budgetedConnector, type ActionConnector } from "./action-connections";
import { createDiscovery, type DiscoveryChange } from "@/lib/fleet/discovery";
import { closeOpenAlerts } from "@/lib/alerts/retire";
import type { TargetSnapshot, TargetState } from "@/lib/collector/types";
import type { MetricResult } from "@/lib/metrics/types";
import { createStore, type Store, type StoreOptions } from "@/lib/store/index";
import { createAlertEngine, type AlertEngine } from "@/lib/alerts/engine";
import { createDeliveryWorker, type DeliveryWorker } from "@/lib/alerts/delivery";
import { createStorePool, createTargetPool } from "@/lib/db/pool";
import type { Health } from "@/lib/api/health";
import { computeHealth, fleetHealth } from "@/lib/server/views/health";
import { createLeaseManager, type FleetView, type LeaseManager, type LoseReason } from "@/lib/fleet/leases";
import { createFleetWatch, type FleetWatch } from "@/lib/fleet/watch";
import type { Identity } from "@/lib/fleet/lease-store";
import { metricCadenceMs, rowHistoryCadenceMs } from "./cadence";
import { createSelfMetrics, type SelfMetrics } from "./self-metrics";
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
  /** This instance's readable name among several sharing the store (default: the host name). */
  instanceName?: string;
  /** How long a target lease lasts unrenewed (docs/SCALING.md); default DEFAULT_LEASE_TTL_MS. */
  leaseTtlMs?: number;
}

/**
 * 10 s: a dead instance's targets are taken over within 12.5 s plus a first run — inside two
 * cadences of the 15 s statistics metrics — for one small UPDATE every 2.5 s per instance.
 */
export const DEFAULT_LEASE_TTL_MS = 10_000;

export interface Pgpulse {
  version: string;
  startedAt: Date;
  config: PgpulseConfig;
  demo: boolean;
  targets: TargetConfig[];
  store: Store;
  alerts: AlertEngine;
  delivery: DeliveryWorker;
  /** Collectors of the targets this instance holds a lease on (all of them when it is alone). */
  collectors: Map<string, Collector>;
  /** This instance among those sharing the store. */
  instance: Identity;
  /** Null when this instance does not collect (it then holds no lease). */
  leases: LeaseManager | null;
  /** pgpulse's own figures for /api/metrics (collection, store writes, delivery, leases). */
  selfMetrics: SelfMetrics;
  thresholds(targetId: string): Thresholds;
  target(targetId: string): TargetConfig | undefined;
  snapshot(targetId: string): TargetSnapshot | undefined;
  /** One metric's latest result: what a cached answer's version is made of, at no copy. */
  latest(targetId: string, metricId: string): MetricResult | undefined;
  state(targetId: string): TargetState | undefined;
  /** How often a metric is collected here: its interval or its override. Pages judge staleness by it. */
  cadenceMs(metricId: string): number;
  /** How far apart a metric's sets in the row history are (the history pages draw). */
  rowHistoryCadenceMs(metricId: string): number;
  /**
   * A separate one-connection pool for explicit, role-gated actions on a target (EXPLAIN,
   * cancel, terminate) — the only queries a request may cause on a target; callers rate-limit.
   * Its connection counts in the server's budget and closes after each use.
   */
  actionPool(targetId: string): ActionConnector;
  /** EXPLAIN's pool: the target's planning role (explainUrl) when configured, else actionPool. */
  explainPool(targetId: string): ActionConnector;
  /**
   * The fleet as this instance last read it (its lease ticks, or a pages-only instance's own
   * reads), and whether that read is younger than a lease (else it cannot vouch for live leases).
   */
  fleet(): { view: FleetView; fresh: boolean } | null;
  health(): Health;
  stop(): Promise<void>;
}

export async function startPgpulse(opts: PgpulseOptions): Promise<Pgpulse> {
  const { config, log } = opts;
  const selfMetrics = createSelfMetrics();
  const store = createStore({ ...opts.store, url: opts.storeUrl, log: log.child({ part: "store" }), onFlush: selfMetrics.storeWrite });
  await store.migrate();
  store.startMaintenance();

  const collect = opts.collect !== false;
  const instance: Identity = { id: randomBytes(6).toString("hex"), name: opts.instanceName ?? os.hostname() };
  let leases: LeaseManager | null = null;
  // With collection on, every target is polled under a lease (lib/fleet/leases.ts), and
  // evaluation and delivery follow it; a lone instance simply holds them all.
  const fence = collect ? (targetId: string) => leases?.token(targetId) ?? null : undefined;

  // Notifications link to the dashboard's publicUrl when one is configured, else relatively.
  const alerts = createAlertEngine({ pool: store.pool, config, log: log.child({ part: "alerts" }), publicUrl: config.publicUrl, fence });
  await alerts.start();
  const delivery = createDeliveryWorker({ pool: store.pool, channels: config.channels, log: log.child({ part: "delivery" }),
    holder: collect ? instance.id : undefined,
    onOutcome: (_channel, outcome) => selfMetrics.delivery(outcome),
  });
  delivery.start();

  // config.targets is the live list: the file's targets plus the discovered ones (below), so
  // rule resolution, pages and leases all see one list.
  const byId = new Map(config.targets.map((t) => [t.id, t]));
  /** Discovered targets whose database was dropped: their alerts close once they are stopped. */
  const retired = new Set<string>();
  const collectors = new Map<string, Collector>();
  // Targets on one server share its cluster-wide reads (lib/collector/server-share.ts).
  const shares = createServerShares();
  const limits = createCollectionLimits(config.collection);
  function startCollector(target: TargetConfig, outageSince: Date | null): void {
    const clog = log.child({ part: "collector", target: target.id });
    const c = createCollector({
      target,
      outageSince,
      thresholds: thresholdsFor(config, target),
      sinks: [store, alerts, selfMetrics.sink],
      tasks: catalogTasks(),
      intervals: opts.intervals,
      onSkipped: (taskId) => selfMetrics.skipped(target.id, taskId),
      share: (member) => shares.join(serverKey(target.url), member),
      limits: { server: limits.server(serverKey(target.url)), global: limits.global },
      log: { warn: (obj, msg) => clog.warn(obj, msg), info: (obj, msg) => clog.info(obj, msg) },
    });
    c.start();
    collectors.set(target.id, c);
  }
  async function stopCollector(targetId: string, reason: LoseReason): Promise<void> {
    const c = collectors.get(targetId);
    collectors.delete(targetId);
    await c?.stop();
    if (reason === "stopping") return; // stop() below evaluates what arrived, then writes
    // A handover evaluates what arrived first; a fenced instance drops it (the store refuses it).
    if (reason === "shed") await alerts.idle();
    alerts.release(targetId);
    if (retired.has(targetId)) {
      retired.delete(targetId);
      const targetName = byId.get(targetId)?.name ?? targetId;
      byId.delete(targetId);
      // No lease check: the target left every instance's list, nobody evaluates it any more.
      const request = { targetId, targetName, rules: null, reason: "database dropped" };
      const closed = await closeOpenAlerts(store.pool, request, { config, publicUrl: config.publicUrl ?? "", now: Date.now() }).then(
        (out) => out.closed,
        (e: unknown) => {
          log.warn({ targetId, error: String(e) }, "could not close a retired target's alerts");
          return 0;
        },
      );
      log.info({ targetId, closed }, "retired target (database dropped)");
    }
  }

  function applyDiscovery(change: DiscoveryChange): void {
    for (const t of change.added) {
      retired.delete(t.id);
      // A target of the file with the same id wins: discovery never replaces a configured one.
      if (config.targets.some((c) => c.id === t.id)) continue;
      config.targets.push(t);
      byId.set(t.id, t);
      log.info({ targetId: t.id }, "discovered target");
    }
    for (const id of change.retired) {
      const i = config.targets.findIndex((t) => t.id === id);
      if (i < 0) continue;
      config.targets.splice(i, 1);
      // The lease tick sees it gone and stops it (stopCollector above); an instance that does
      // not hold it only forgets it.
      if (leases?.held().includes(id)) retired.add(id);
      else byId.delete(id);
    }
  }
  const discovery = config.discovery.length
    ? createDiscovery({ rules: config.discovery, onChange: applyDiscovery, log: log.child({ part: "discovery" }) })
    : null;
  await discovery?.start();

  const leaseTtlMs = opts.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  // A pages-only instance uses it to read the fleet (who polls what, and its recorded state).
  const leasePool = createStorePool(opts.storeUrl, 1, Math.max(1_000, leaseTtlMs / 2));
  let watch: FleetWatch | null = null;
  if (!collect) {
    watch = createFleetWatch({ pool: leasePool, me: instance, everyMs: Math.max(50, Math.floor(leaseTtlMs / 4)), log: log.child({ part: "fleet" }) });
    await watch.start();
  } else {
    leases = createLeaseManager({
      pool: leasePool,
      me: instance,
      targets: () => config.targets.map((t) => t.id),
      ttlMs: leaseTtlMs,
      lastSampleAt: (targetId) => collectors.get(targetId)?.state().lastSampleAt ?? null,
      async onAcquire(targetId) {
        const target = byId.get(targetId);
        if (!target) throw new Error(`unknown target ${targetId}`);
        // Open episodes first, so the first result continues them instead of opening new ones.
        await alerts.adopt(targetId);
        // An outage the previous holder recorded keeps its start (what the other instances show).
        const recorded = leases?.view().leases.find((l) => l.target_id === targetId);
        startCollector(target, recorded?.up === false ? recorded.down_since : null);
      },
      onLose: stopCollector,
      onChange: selfMetrics.leaseChange,
      log: log.child({ part: "leases", instance: instance.name }),
    });
    await leases.start();
  }
  const actionPools = new Map<string, Pool>();
  // EXPLAIN's own one-connection pool when the target names a planning role: its connection is
  // closed after each EXPLAIN (runExplain), so none is held between requests.
  const explainPools = new Map<string, Pool>();
  const actionPoolFor = (id: string, use: "action" | "explain"): ActionConnector => {
    const target = byId.get(id);
    if (!target) throw new Error(`unknown target ${id}`);
    const planningUrl = use === "explain" ? target.explainUrl : undefined;
    const pools = planningUrl ? explainPools : actionPools;
    let pool = pools.get(id);
    if (!pool) {
      pool = createTargetPool({ url: planningUrl ?? target.url, max: 1, applicationName: APPLICATION_NAMES.action, statementTimeoutMs: 30_000 });
      pools.set(id, pool);
    }
    // Counted in the server's budget with collection's connections (action-connections.ts).
    return budgetedConnector(pool, limits.server(serverKey(target.url)));
  };
  let stopping: Promise<void> | null = null;
  function fleetRead() {
    const view = leases?.view() ?? watch?.view();
    if (!view) return null;
    return { view, fresh: view.readAt !== null && Date.now() - view.readAt.getTime() < leaseTtlMs };
  }

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
    instance,
    leases,
    selfMetrics,
    thresholds: (id) => thresholdsFor(config, byId.get(id) ?? config.targets[0]),
    target: (id) => byId.get(id),
    snapshot: (id) => collectors.get(id)?.snapshot(),
    latest: (id, metricId) => collectors.get(id)?.latest(metricId),
    state: (id) => collectors.get(id)?.state(),
    cadenceMs: (metricId) => metricCadenceMs(metricId, opts.intervals),
    rowHistoryCadenceMs: (metricId) => rowHistoryCadenceMs(metricId, opts.intervals, store.rowHistoryEveryMs),
    actionPool(id) {
      return actionPoolFor(id, "action");
    },
    explainPool(id) {
      return actionPoolFor(id, "explain");
    },
    fleet: fleetRead,
    health() {
      const s = store.status();
      const fleet = fleetRead();
      // A read older than a lease cannot say who polls a target now: its leases count as ended.
      const leaseRows = fleet?.fresh ? fleet.view.leases : fleet?.view.leases.map((l) => ({ ...l, live: false }));
      return computeHealth(
        opts.version,
        config.targets,
        // The state alone: a snapshot would copy every metric of every target for it.
        config.targets.map((t) => collectors.get(t.id)?.state()),
        { reachable: s.reachable, unreachableSince: s.unreachableSince },
        fleet && leaseRows ? fleetHealth(instance.id, fleet.view.instances, leaseRows) : undefined,
      );
    },
    stop() {
      // Graceful: stop polling, evaluate what arrived, flush writes, then close connections.
      stopping ??= (async () => {
        discovery?.stop();
        watch?.stop();
        await Promise.allSettled([...collectors.values()].map((c) => c.stop()));
        await Promise.allSettled([...actionPools.values(), ...explainPools.values()].map((p) => p.end()));
        await alerts.idle().catch(() => {});
        await alerts.stop().catch(() => {});
        // Leases go after the last alert writes (they are fenced by them), and at once rather
        // than at expiry, so another instance takes the targets at its next tick.
        await leases?.stop().catch(() => {});
        await leasePool.end().catch(() => {});
        await delivery.stop().catch(() => {});
        await store.flush().catch(() => {});
        await store.close().catch(() => {});
        if (opts.onStop) await opts.onStop().catch(() => {});
      })();
      return stopping;
    },
  };
}
