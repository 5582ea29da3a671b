import "server-only";
import type { Pool } from "pg";
import type { SampleSink } from "@/lib/collector/types";
import { noteAlertsChanged } from "./changes";
import type { PgpulseConfig } from "@/lib/config/schema";
import type { MetricResult } from "@/lib/metrics/types";
import { evaluate } from "./evaluate";
import { EXTRACTORS, RULES_BY_METRIC, createWindowedInputs } from "./inputs";
import type { Row } from "./inputs/values";
import { defaultLog, safeError, type AlertLog } from "./log";
import { closeOpenAlerts } from "./retire";
import { resolveRule } from "./rules";
import { loadOpenAlerts, writeTransitions, type TouchWrite, type TransitionWrite } from "./store";
import { INACTIVE, isRuleId, type InstanceState, type RuleId } from "./types";
import { toDbError } from "@/lib/db/errors";
import type { FenceToken } from "@/lib/fleet/lease-store";

const TRANSIENT = new Set(["connection", "terminated", "timeout"]);

// The alert engine: a SampleSink the collector feeds. accept() never throws and never waits;
// results queue up (coalesced per metric and target) and are evaluated one at a time, so the
// store sees transitions in order. Memory holds the open episodes; the store holds the truth,
// loaded back at start, so a restart neither loses a firing alert nor announces it again.

export interface AlertEngineOptions {
  pool: Pool;
  config: Pick<PgpulseConfig, "targets" | "thresholds" | "rules" | "channels">;
  log?: AlertLog;
  now?: () => number;
  /** Base URL of the dashboard for links in notifications; relative links when empty. */
  publicUrl?: string;
  /**
   * With leases (several instances on one store): the token for a target this instance holds,
   * else null. The engine then evaluates only held targets, resumes a target's open episodes
   * when it is adopted, and every write is checked against the lease in its transaction.
   */
  fence?: (targetId: string) => FenceToken | null;
}

export interface AlertEngine extends SampleSink {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once every result accepted so far has been evaluated (and persisted or failed). */
  idle(): Promise<void>;
  /** Takes new rules; open episodes of a rule now turned off are closed ("rule turned off"). */
  setConfig(config: AlertEngineOptions["config"]): void;
  /** Resumes a target's open episodes from the store (its lease was just taken). */
  adopt(targetId: string): Promise<void>;
  /** Forgets everything about a target in memory (its lease is gone or being handed over). */
  release(targetId: string): void;
  /** Open episodes in memory: rule, target, object and state. */
  openInstances(): Array<{ alertId: number | null; rule: RuleId; targetId: string; objectKey: string; state: InstanceState }>;
}

interface Instance {
  alertId: number | null;
  rule: RuleId;
  targetId: string;
  objectKey: string;
  state: InstanceState;
  lastTouchAt: number;
}

// Refreshing value / last_bad_at of an open episode is not a transition; once per 30 s per
// episode keeps the store close enough for a restart without a write per 3 s sample.
const TOUCH_EVERY_MS = 30_000;

/** Why an episode whose rule was turned off was closed (its history, its notification). */
export const RULE_TURNED_OFF = "rule turned off";

const keyOf = (rule: string, targetId: string, objectKey: string) => `${rule}\u0000${targetId}\u0000${objectKey}`;

export function createAlertEngine(opts: AlertEngineOptions): AlertEngine {
  const log = opts.log ?? defaultLog("alerts");
  const now = opts.now ?? Date.now;
  let config = opts.config;
  const instances = new Map<string, Instance>();
  const windowed = createWindowedInputs();
  const queue = new Map<string, MetricResult & { status: "ok" }>();
  // Transitions not yet committed (the store was unreachable), per instance, in order. Memory
  // moves on regardless, so evaluation goes on during a store outage; the backlog is written
  // first on every later evaluation, and an instance's successive transitions are merged so an
  // episode that began and ended during the outage is written whole, with its real times.
  let backlog = new Map<string, TransitionWrite & { key: string }>();
  let started = false;
  let stopped = false;
  let draining: Promise<void> | null = null;
  // Open episodes of rules turned off are closed in the drain, between evaluations, so no
  // evaluation writes the same episode meanwhile. Due after start, adopt and setConfig; a close
  // the store refused is tried again when the next result arrives (not in a loop).
  let closeDue = false;
  let closeRetry = false;

  function kick() {
    if (!started || stopped || draining) return;
    draining = drain().finally(() => {
      draining = null;
      if ((queue.size || closeDue) && !stopped) kick();
    });
  }

  async function drain() {
    if (closeDue) {
      closeDue = false;
      await closeTurnedOff().catch((e: unknown) => {
        closeRetry = true;
        log.error({ err: safeError(e) }, "could not close the alerts of rules turned off");
      });
    }
    while (queue.size && !stopped) {
      const [k, result] = queue.entries().next().value!;
      queue.delete(k);
      try {
        await evaluateResult(result);
      } catch (e) {
        log.error({ metric: result.metric, targetId: result.targetId, err: safeError(e) }, "alert evaluation failed");
      }
    }
  }

  async function evaluateResult(result: MetricResult & { status: "ok" }) {
    // A result still in the queue when its target's lease went: not ours to evaluate any more.
    if (opts.fence && !opts.fence(result.targetId)) return;
    const at = now();
    const target = config.targets.find((t) => t.id === result.targetId);
    const targetName = target?.name ?? result.targetId;
    const writes: Array<TransitionWrite & { key: string }> = [];
    const touches: TouchWrite[] = [];
    const quiet: Array<[string, InstanceState]> = [];

    for (const ruleId of RULES_BY_METRIC[result.metric] ?? []) {
      const rule = resolveRule(ruleId, config, result.targetId);
      if (!rule.enabled) continue;
      const rows = result.rows as Row[];
      const observations =
        windowed[ruleId]?.observations(result.targetId, at, rows, rule, result.metric) ?? EXTRACTORS[ruleId]?.(rows, rule, { now: result.ts.getTime(), metric: result.metric }) ?? [];
      const seen = new Set<string>();
      const step = (objectKey: string, obs: (typeof observations)[number] | null) => {
        const key = keyOf(ruleId, result.targetId, objectKey);
        const inst = instances.get(key);
        const out = evaluate(rule, obs, inst?.state ?? INACTIVE, at);
        if (out.events.length) {
          writes.push({ key, rule, targetId: result.targetId, targetName, objectKey, alertId: inst?.alertId ?? null, observation: obs, next: out.state, events: out.events });
        } else if (inst) {
          quiet.push([key, out.state]);
          if (inst.alertId !== null && at - inst.lastTouchAt >= TOUCH_EVERY_MS) {
            touches.push({ alertId: inst.alertId, targetId: result.targetId, value: out.state.value, lastBadAt: out.state.lastBadAt });
            inst.lastTouchAt = at;
          }
        }
      };
      for (const obs of observations) {
        seen.add(obs.objectKey);
        step(obs.objectKey, obs);
      }
      // Objects that were open but are absent from this result: the pid ended, the table went.
      for (const inst of [...instances.values()]) {
        if (inst.rule === ruleId && inst.targetId === result.targetId && !seen.has(inst.objectKey)) step(inst.objectKey, null);
      }
    }

    // A state without an event (value, lastBadAt) is memory only and safe to keep either way.
    for (const [key, state] of quiet) {
      const inst = instances.get(key);
      if (inst) inst.state = state;
    }
    if (!writes.length && !touches.length && !backlog.size) return;
    // The backlog goes first, with this evaluation's transitions merged per instance.
    const batch = new Map(backlog);
    for (const w of writes) {
      const queued = batch.get(w.key);
      batch.set(w.key, queued ? { ...w, alertId: queued.alertId, events: [...queued.events, ...w.events], observation: w.observation ?? queued.observation } : w);
    }
    const pending = [...batch.values()];
    let outcome: Awaited<ReturnType<typeof writeTransitions>>;
    try {
      outcome = await writeTransitions(opts.pool, pending, touches, { channels: config.channels, publicUrl: opts.publicUrl ?? "", now: at, fence: opts.fence });
    } catch (e) {
      if (!TRANSIENT.has(toDbError(e).kind)) {
        // Refused (not unreachable): memory stays where it was, so the next result evaluates and
        // writes the same transitions again. A backlog that cannot be written is dropped.
        if (backlog.size) log.error({ transitions: backlog.size, err: safeError(e) }, "held alert transitions rejected by the store, dropped");
        backlog.clear();
        throw e;
      }
      // Unreachable store: hold the transitions and move memory on, so evaluation goes on.
      if (!backlog.size) log.warn({ err: safeError(e) }, "store unreachable: holding alert transitions in memory");
      backlog = batch;
      applyToMemory(writes, at);
      return;
    }
    backlog.clear();
    noteAlertsChanged(opts.pool);
    // Another instance holds these targets now: what we saw is its to evaluate, not ours.
    for (const targetId of outcome.fenced) {
      log.warn({ targetId }, "alert writes refused: the target's lease is held by another instance");
      forget(targetId);
    }
    applyToMemory(writes.filter((w) => !outcome.fenced.has(w.targetId)), at);
    pending.forEach((w, i) => {
      const inst = instances.get(w.key);
      const id = outcome.ids[i];
      if (inst && inst.alertId === null && id !== null) inst.alertId = id;
    });
  }

  /** Closes the open episodes (in memory, hence in the store) whose rule is now disabled for their target. */
  async function closeTurnedOff() {
    const byTarget = new Map<string, Set<string>>();
    for (const inst of instances.values()) {
      if (!isRuleId(inst.rule) || resolveRule(inst.rule, config, inst.targetId).enabled) continue;
      const rules = byTarget.get(inst.targetId) ?? new Set<string>();
      byTarget.set(inst.targetId, rules.add(inst.rule));
    }
    for (const [targetId, rules] of byTarget) {
      const targetName = config.targets.find((t) => t.id === targetId)?.name ?? targetId;
      const fence = opts.fence ? opts.fence(targetId) : undefined;
      const out = await closeOpenAlerts(opts.pool, { targetId, targetName, rules: [...rules], reason: RULE_TURNED_OFF, fence }, { config, publicUrl: opts.publicUrl ?? "", now: now() });
      if (out.fenced) {
        log.warn({ targetId }, "alert writes refused: the target's lease is held by another instance");
        forget(targetId);
        continue;
      }
      for (const [k, inst] of instances) {
        if (inst.targetId !== targetId || !rules.has(inst.rule)) continue;
        instances.delete(k);
        backlog.delete(k);
      }
      log.info({ targetId, rules: [...rules], closed: out.closed }, "alerts closed: rule turned off");
    }
  }

  function forget(targetId: string) {
    for (const [k, inst] of instances) if (inst.targetId === targetId) instances.delete(k);
    for (const [k, w] of backlog) if (w.targetId === targetId) backlog.delete(k);
    for (const [k, r] of queue) if (r.targetId === targetId) queue.delete(k);
  }

  function resume(r: Awaited<ReturnType<typeof loadOpenAlerts>>[number]) {
    instances.set(keyOf(r.rule, r.target_id, r.object_key), {
      alertId: r.id,
      rule: r.rule as RuleId,
      targetId: r.target_id,
      objectKey: r.object_key,
      state: {
        state: r.state,
        since: r.since.getTime(),
        firedAt: r.fired_at?.getTime() ?? null,
        resolvedAt: null,
        lastBadAt: r.last_bad_at?.getTime() ?? r.since.getTime(),
        value: r.value,
        // A pending row carries the rule's severity but has not fired at any: null.
        severity: r.state === "firing" ? r.severity : null,
      },
      lastTouchAt: now(),
    });
  }

  function applyToMemory(writes: Array<TransitionWrite & { key: string }>, at: number) {
    for (const w of writes) {
      const inst = instances.get(w.key);
      if (w.next.state === "pending" || w.next.state === "firing") {
        // A new episode's id is known once its first transition is committed.
        const alertId = inst && w.events[0]?.from !== "inactive" ? inst.alertId : null;
        instances.set(w.key, { alertId, rule: w.rule.id, targetId: w.targetId, objectKey: w.objectKey, state: w.next, lastTouchAt: at });
      } else {
        instances.delete(w.key);
      }
      for (const ev of w.events) log.info({ rule: w.rule.id, targetId: w.targetId, object: w.objectKey, from: ev.from, to: ev.to, value: ev.value }, "alert transition");
    }
  }

  return {
    accept(result: MetricResult): void {
      try {
        if (stopped || result.status !== "ok" || !RULES_BY_METRIC[result.metric]) return;
        if (closeRetry) {
          closeRetry = false;
          closeDue = true;
        }
        if (opts.fence && !opts.fence(result.targetId)) return;
        // Windows record every sample on arrival, even one coalesced away before evaluation.
        for (const ruleId of RULES_BY_METRIC[result.metric]) {
          const w = windowed[ruleId];
          if (w) w.add(result.targetId, result.ts.getTime(), result.rows as Row[], resolveRule(ruleId, config, result.targetId).windowSeconds * 1000, result.metric);
        }
        const k = `${result.metric}\u0000${result.targetId}`;
        const queued = queue.get(k);
        // slow_queries rows are occurrences since the last poll: merging keeps every one of them.
        const merged = queued && result.metric === "slow_queries" ? { ...result, rows: [...queued.rows, ...result.rows] } : result;
        queue.set(k, merged);
        kick();
      } catch (e) {
        log.error({ metric: result?.metric, err: safeError(e) }, "alert engine rejected a result");
      }
    },
    async start() {
      if (started) return;
      // With leases, a target's episodes are resumed when its lease is taken (adopt).
      if (!opts.fence) for (const r of await loadOpenAlerts(opts.pool)) resume(r);
      started = true;
      closeDue = true;
      kick();
    },
    async stop() {
      stopped = true;
      await draining;
      // A last try for transitions held while the store was away (graceful shutdown).
      if (backlog.size) {
        await writeTransitions(opts.pool, [...backlog.values()], [], { channels: config.channels, publicUrl: opts.publicUrl ?? "", now: now(), fence: opts.fence })
          .then(() => backlog.clear())
          .catch((e) => log.error({ transitions: backlog.size, err: safeError(e) }, "alert transitions not written at stop"));
      }
    },
    async idle() {
      while (draining || (queue.size && started && !stopped)) await (draining ?? Promise.resolve());
    },
    async adopt(targetId) {
      const rows = await loadOpenAlerts(opts.pool, targetId);
      forget(targetId);
      for (const r of rows) resume(r);
      closeDue = true;
      kick();
    },
    release(targetId) {
      forget(targetId);
    },
    setConfig(next) {
      config = next;
      // A rule turned off closes its open episodes (globally, or for the targets that turned it off).
      closeDue = true;
      kick();
    },
    openInstances() {
      return [...instances.values()].map((i) => ({ alertId: i.alertId, rule: i.rule, targetId: i.targetId, objectKey: i.objectKey, state: i.state }));
    },
  };
}
