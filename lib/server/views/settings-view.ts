import type { SettingsResponse } from "@/lib/api/settings";
import type { PgpulseConfig } from "@/lib/config/schema";
import { publicChannels } from "@/lib/alerts/routing";
import { RULE_DEFAULTS, resolveRule, resolveRules } from "@/lib/alerts/rules";
import type { Rule } from "@/lib/alerts/types";
import { unitOf } from "./alerts-view";

// GET /api/settings: the rules as they apply everywhere, each with the per-target differences,
// and the channels without their URLs (publicChannels never copies one).

type OverrideView = SettingsResponse["rules"][number]["overrides"][number];

/** The fields a target's resolved rule changes against the global one. */
function overrideOf(global: Rule, local: Rule, target: string): OverrideView | null {
  const o: OverrideView = { target };
  if (local.enabled !== global.enabled) o.enabled = local.enabled;
  if (local.threshold !== global.threshold) o.threshold = local.threshold;
  if (local.criticalThreshold !== global.criticalThreshold) o.criticalThreshold = local.criticalThreshold;
  if (local.forSeconds !== global.forSeconds) o.forSeconds = local.forSeconds;
  if (local.keepFiringForSeconds !== global.keepFiringForSeconds) o.keepFiringForSeconds = local.keepFiringForSeconds;
  if (local.windowSeconds !== global.windowSeconds) o.windowSeconds = local.windowSeconds;
  if (local.severity !== global.severity) o.severity = local.severity;
  return Object.keys(o).length > 1 ? o : null;
}

export function settingsView(config: PgpulseConfig, demo: boolean): SettingsResponse {
  return {
    thresholds: { ...config.thresholds },
    tableSizeIsDemo: demo,
    rules: resolveRules(config).map((rule) => ({
      id: rule.id,
      description: rule.summary,
      hint: RULE_DEFAULTS[rule.id].hint,
      enabled: rule.enabled,
      threshold: rule.threshold,
      criticalThreshold: rule.criticalThreshold,
      unit: unitOf(rule.id),
      forSeconds: rule.forSeconds,
      keepFiringForSeconds: rule.keepFiringForSeconds,
      severity: rule.severity,
      labels: rule.labels,
      channels: rule.channels,
      overrides: config.targets.flatMap((t) => overrideOf(rule, resolveRule(rule.id, config, t.id), t.id) ?? []),
    })),
    channels: publicChannels(config.channels),
    targets: config.targets.map((t) => ({ id: t.id, name: t.name, poolSize: t.poolSize ?? null })),
  };
}
