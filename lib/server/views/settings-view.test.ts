import { describe, expect, it } from "vitest";
import { RULE_IDS } from "@/lib/alerts/types";
import { settingsResponseSchema } from "@/lib/api/settings";
import { configSchema } from "@/lib/config/schema";
import { settingsView } from "./settings-view";

const config = configSchema.parse({
  targets: [
    { id: "prod", name: "Production", url: "postgres://mon:secret-pw@db/kundli_db", poolSize: 20, rules: { slow_query: { threshold: 500, severity: "critical" } } },
    { id: "staging", name: "Staging", url: "postgres://mon:secret-pw@db2/kundli_db", rules: { table_size: { threshold: 1024 }, target_down: { enabled: false }, replication_lag: { criticalThreshold: null }, sequence_exhaustion: { criticalThreshold: 80 }, checkpoints_requested: { windowSeconds: 1200 } } },
  ],
  thresholds: { queryTimeMs: 2000 },
  rules: { index_bloat: { labels: { team: "dba" }, channels: ["ops-hook"] } },
  channels: [
    { id: "ops-hook", type: "webhook", url: "https://hooks.example/very-secret-path", minSeverity: "warning", targets: ["prod"] },
    { id: "slack", type: "slack", url: "https://hooks.slack.com/services/T0/B0/secret" },
  ],
});

describe("settingsView", () => {
  const view = settingsResponseSchema.parse(settingsView(config, true));
  const rule = (id: string) => view.rules.find((r) => r.id === id)!;

  it("lists every rule with the global values and each target's differences", () => {
    expect(view.rules.map((r) => r.id)).toEqual([...RULE_IDS]);
    expect(rule("slow_query")).toMatchObject({ threshold: 2000, unit: "ms", severity: "warning", forSeconds: 0, keepFiringForSeconds: 600, overrides: [{ target: "prod", threshold: 500, severity: "critical" }] });
    expect(rule("table_size").overrides).toEqual([{ target: "staging", threshold: 1024 }]);
    expect(rule("target_down")).toMatchObject({ enabled: true, unit: null, overrides: [{ target: "staging", enabled: false }] });
    expect(rule("index_bloat")).toMatchObject({ labels: { team: "dba" }, channels: ["ops-hook"], overrides: [] });
    expect(rule("cache_hit_ratio").description).toBe("Cache hit ratio below the threshold");
    expect(rule("archive_failing").hint).toMatch(/archive_command/);
  });

  it("every rule carries its hint and its critical line, and a target's different line", () => {
    for (const r of view.rules) expect(r.hint.length, r.id).toBeGreaterThan(20);
    expect(rule("replication_lag")).toMatchObject({ threshold: 60, criticalThreshold: 300, overrides: [{ target: "staging", criticalThreshold: null }] });
    expect(rule("sequence_exhaustion")).toMatchObject({ criticalThreshold: 90, overrides: [{ target: "staging", criticalThreshold: 80 }] });
    expect(rule("table_size").criticalThreshold).toBeNull();
    // A windowed rule's shorter span is a difference too (the demo's lowered windows show so).
    expect(rule("checkpoints_requested").overrides).toEqual([{ target: "staging", windowSeconds: 1200 }]);
  });

  it("shows thresholds, the demo flag and targets", () => {
    expect(view.thresholds).toEqual({ queryTimeMs: 2000, tableSizeBytes: 10 * 1024 ** 3, indexBloatPercent: 30, cacheHitRatioPercent: 90 });
    expect(view.tableSizeIsDemo).toBe(true);
    expect(view.targets).toEqual([{ id: "prod", name: "Production", poolSize: 20 }, { id: "staging", name: "Staging", poolSize: null }]);
  });

  it("never carries a channel or connection URL", () => {
    expect(view.channels).toEqual([
      { id: "ops-hook", type: "webhook", minSeverity: "warning", targets: ["prod"] },
      { id: "slack", type: "slack", minSeverity: "warning", targets: null },
    ]);
    const text = JSON.stringify(view);
    expect(text).not.toMatch(/secret|https?:\/\/|postgres:\/\//);
  });
});
