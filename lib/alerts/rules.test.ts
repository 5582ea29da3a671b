import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/load";
import { configSchema } from "@/lib/config/schema";
import { RULE_DEFAULTS, resolveRule, resolveRules } from "./rules";
import { RULE_IDS } from "./types";

const GB = 1024 ** 3;

const config = configSchema.parse({
  thresholds: { queryTimeMs: 2000 },
  rules: {
    slow_query: { keepFiringForSeconds: 300, labels: { team: "db" } },
    table_size: { severity: "critical", channels: ["ops"] },
    cache_hit_ratio: { windowSeconds: 600 },
  },
  targets: [
    { id: "prod", name: "Prod", url: "postgres://u@h/db", thresholds: { tableSizeBytes: 5 * GB }, rules: { slow_query: { threshold: 500, labels: { env: "prod" } }, index_bloat: { enabled: false } } },
    { id: "dev", name: "Dev", url: "postgres://u@h/dev", rules: { index_bloat: { threshold: 50, clearThreshold: 48 } } },
  ],
});

describe("rule defaults and overrides", () => {
  it("has a default for every rule", () => {
    const rules = resolveRules(configSchema.parse({}));
    expect(rules.map((r) => r.id)).toEqual([...RULE_IDS]);
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    expect(byId.slow_query).toMatchObject({ threshold: 1000, forSeconds: 0, keepFiringForSeconds: 600, comparator: "gt", severity: "warning" });
    expect(byId.table_size).toMatchObject({ threshold: 10 * GB, clearThreshold: 9.5 * GB });
    expect(byId.index_bloat).toMatchObject({ threshold: 30, clearThreshold: 25, minIndexBytes: 10 * 1024 ** 2 });
    expect(byId.cache_hit_ratio).toMatchObject({ comparator: "lt", threshold: 90, clearThreshold: 92, windowSeconds: 300, minBlockAccesses: 1000 });
    expect(byId.target_down).toMatchObject({ forSeconds: 30, severity: "critical" });
    expect(byId.connection_saturation).toMatchObject({ threshold: 80, clearThreshold: 75 });
    expect(byId.idle_in_transaction.threshold).toBe(300);
    expect(byId.long_transaction.threshold).toBe(900);
    expect(byId.blocked_sessions.threshold).toBe(60);
    expect(byId.xid_wraparound).toMatchObject({ threshold: 1.5e9, clearThreshold: 1.4e9, severity: "critical" });
  });

  it("a lowered xid_wraparound threshold keeps a clear line that can be reached", () => {
    const low = configSchema.parse({ targets: [{ id: "r", name: "R", url: "postgres://u@h/r", rules: { xid_wraparound: { threshold: 1_500_000 } } }] });
    expect(resolveRule("xid_wraparound", low, "r")).toMatchObject({ threshold: 1_500_000, clearThreshold: 1_350_000 });
  });

  it("global thresholds feed the rule threshold", () => {
    expect(resolveRule("slow_query", config).threshold).toBe(2000);
    expect(resolveRule("slow_query", config, "dev").threshold).toBe(2000);
  });

  it("a target's rule override beats the global threshold, and labels merge", () => {
    const r = resolveRule("slow_query", config, "prod");
    expect(r.threshold).toBe(500);
    expect(r.keepFiringForSeconds).toBe(300);
    expect(r.labels).toEqual({ team: "db", env: "prod" });
  });

  it("a target's thresholds beat the global default; the clear line follows the threshold", () => {
    const r = resolveRule("table_size", config, "prod");
    expect(r.threshold).toBe(5 * GB);
    expect(r.clearThreshold).toBe(4.75 * GB);
    expect(r.severity).toBe("critical");
    expect(r.channels).toEqual(["ops"]);
    expect(resolveRule("table_size", config, "dev").threshold).toBe(10 * GB);
  });

  it("an explicit clear threshold wins; a moved threshold moves the default clear line", () => {
    expect(resolveRule("index_bloat", config, "dev")).toMatchObject({ threshold: 50, clearThreshold: 48 });
    expect(resolveRule("cache_hit_ratio", config, "dev")).toMatchObject({ windowSeconds: 600, clearThreshold: 92 });
  });

  it("rules can be disabled per target", () => {
    expect(resolveRule("index_bloat", config, "prod").enabled).toBe(false);
    expect(resolveRule("index_bloat", config, "dev").enabled).toBe(true);
  });

  it("an unknown target gets the global view", () => {
    expect(resolveRule("slow_query", config, "nope").threshold).toBe(2000);
  });

  it("every rule says what to do, in one line", () => {
    for (const id of RULE_IDS) {
      expect(RULE_DEFAULTS[id].hint.length, id).toBeGreaterThan(20);
      expect(RULE_DEFAULTS[id].hint, id).not.toMatch(/\n/);
    }
  });
});

describe("critical lines", () => {
  const url = "postgres://u@h/db";
  it("defaults per rule, none where a rule has one severity", () => {
    const byId = Object.fromEntries(resolveRules(configSchema.parse({})).map((r) => [r.id, r.criticalThreshold]));
    expect(byId).toMatchObject({ sequence_exhaustion: 90, replication_lag: 300, connection_saturation: 95, backup_stale: 50 * 3600, archive_stale: 3600, table_size: null, target_down: null });
  });

  it("overridden globally, per target, or turned off with null", () => {
    const c = configSchema.parse({
      rules: { replication_lag: { criticalThreshold: 600 } },
      targets: [
        { id: "a", name: "A", url, rules: { replication_lag: { criticalThreshold: 120 } } },
        { id: "b", name: "B", url, rules: { replication_lag: { criticalThreshold: null } } },
      ],
    });
    expect(resolveRule("replication_lag", c).criticalThreshold).toBe(600);
    expect(resolveRule("replication_lag", c, "a").criticalThreshold).toBe(120);
    expect(resolveRule("replication_lag", c, "b").criticalThreshold).toBeNull();
  });

  it.each([
    ["a critical line under the threshold", { rules: { sequence_exhaustion: { criticalThreshold: 70 } } }, "rules.sequence_exhaustion.criticalThreshold: must be above the rule's threshold (75) for sequence_exhaustion, or null for one severity"],
    ["a target threshold past the default critical line", { targets: [{ id: "a", name: "A", url, rules: { sequence_exhaustion: { threshold: 95 } } }] }, "targets.0.rules.sequence_exhaustion.threshold: 95 is past sequence_exhaustion's critical line (90): move criticalThreshold above it too, or set it to null"],
    ["a below-type rule with its critical line above", { rules: { cache_hit_ratio: { criticalThreshold: 95 } } }, "rules.cache_hit_ratio.criticalThreshold: must be below the rule's threshold (90) for cache_hit_ratio, or null for one severity"],
    ["not a number", { rules: { replication_lag: { criticalThreshold: "5m" } } }, "rules.replication_lag.criticalThreshold: "],
  ])("rejects %s, naming the field", (_name, raw, message) => {
    expect(() => parseConfig(raw)).toThrow(message);
  });

  it("accepts a threshold raised together with its critical line", () => {
    expect(() => parseConfig({ targets: [{ id: "a", name: "A", url, rules: { sequence_exhaustion: { threshold: 95, criticalThreshold: 98 } } }] })).not.toThrow();
  });
});

