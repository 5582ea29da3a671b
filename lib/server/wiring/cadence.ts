import { effectiveIntervalMs } from "@/lib/collector/schedule";
import { getDefinition } from "@/lib/metrics/catalog";

// How often the data behind an answer is really taken on this server, so a page judges a
// sample's age against the truth rather than a copy of the defaults: the metric definition's
// interval, or its PGPULSE_INTERVALS override, by the rule the collector schedules with.

export type IntervalOverrides = Readonly<Record<string, number>> | undefined;

export function metricCadenceMs(metricId: string, overrides: IntervalOverrides): number {
  const def = getDefinition(metricId);
  if (!def) throw new Error(`no metric "${metricId}" in the catalog`);
  return effectiveIntervalMs(def.id, def.intervalMs, overrides);
}

/** The row history (size history): one set per run, but never closer together than the store keeps them. */
export function rowHistoryCadenceMs(metricId: string, overrides: IntervalOverrides, storeEveryMs: number): number {
  return Math.max(metricCadenceMs(metricId, overrides), storeEveryMs);
}
