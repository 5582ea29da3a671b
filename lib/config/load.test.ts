import { describe, expect, it } from "vitest";
import { parseConfig, ConfigError } from "./load";

describe("parseConfig", () => {
  it("applies the guideline thresholds by default", () => {
    const cfg = parseConfig({});
    expect(cfg.thresholds).toEqual({
      queryTimeMs: 1000,
      tableSizeBytes: 10 * 1024 ** 3,
      indexBloatPercent: 30,
      cacheHitRatioPercent: 90,
    });
  });

  it("a target overrides only the thresholds it names", async () => {
    const { thresholdsFor } = await import("./load");
    const cfg = parseConfig({
      thresholds: { queryTimeMs: 250 },
      targets: [{ id: "a", name: "A", url: "postgres://h/db", thresholds: { tableSizeBytes: 1024 } }],
    });
    expect(thresholdsFor(cfg, cfg.targets[0])).toMatchObject({ queryTimeMs: 250, tableSizeBytes: 1024, indexBloatPercent: 30 });
  });

  it.each([
    [{ targets: [{ id: "a", name: "A", url: "not a url" }] }, "targets.0.url"],
    [{ targets: [{ id: "A B", name: "A", url: "postgres://h/db" }] }, "targets.0.id"],
    [{ thresholds: { indexBloatPercent: 130 } }, "thresholds.indexBloatPercent"],
    [{ targets: [{ id: "a", name: "A", url: "postgres://h/db", colour: 1 }] }, "targets.0"],
    [{ targets: [{ id: "a", name: "A", url: "postgres://h/a" }, { id: "a", name: "B", url: "postgres://h/b" }] }, "targets.1.id"],
    [{ rules: { slow_query: { forSeconds: -1 } } }, "rules.slow_query.forSeconds"],
    // A misspelt rule id would change nothing: refused, naming the key and the known ids.
    [{ rules: { cache_hit_ration: { enabled: false } } }, "rules.cache_hit_ration: unknown rule; known: slow_query, table_size,"],
    [{ targets: [{ id: "a", name: "A", url: "postgres://h/a" }, { id: "b", name: "B", url: "postgres://h/b", rules: { slow_query: {}, cache_hit_ration: {} } }] }, "targets.1.rules.cache_hit_ration: unknown rule; known:"],
    // publicUrl is an origin: its host is the one extra name pgpulse answers for.
    [{ publicUrl: "pgpulse.example.com" }, "publicUrl"],
    [{ publicUrl: "https://pgpulse.example.com/dashboard" }, "publicUrl"],
    [{ publicUrl: "https://user:pw@pgpulse.example.com" }, "publicUrl"],
    [{ publicUrl: "ftp://pgpulse.example.com" }, "publicUrl"],
    // EXPLAIN's planning role must plan on the database the target monitors.
    [{ targets: [{ id: "a", name: "A", url: "postgres://m@h/db", explainUrl: "mysql://p@h/db" }] }, "targets.0.explainUrl: must be a postgres:// URL"],
    [{ targets: [{ id: "a", name: "A", url: "postgres://m@h/db", explainUrl: "postgres://p@h/other" }] }, "targets.0.explainUrl: must name the same host, port and database as url"],
    [{ targets: [{ id: "a", name: "A", url: "postgres://m@h:5432/db", explainUrl: "postgres://p@h:6432/db" }] }, "targets.0.explainUrl"],
  ])("names the bad field (%#)", (raw, field) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    try {
      parseConfig(raw);
    } catch (e) {
      expect((e as Error).message).toContain(field);
    }
  });

  it("accepts an explainUrl that differs from url only in its role", () => {
    const cfg = parseConfig({ targets: [{ id: "a", name: "A", url: "postgres://m:x@h/db", explainUrl: "postgres://p:y@h:5432/db?sslmode=require" }] });
    expect(cfg.targets[0].explainUrl).toBe("postgres://p:y@h:5432/db?sslmode=require");
  });

  it("accepts a publicUrl that is an http(s) origin", () => {
    expect(parseConfig({ publicUrl: "https://pgpulse.example.com" }).publicUrl).toBe("https://pgpulse.example.com");
    expect(parseConfig({ publicUrl: "http://10.0.0.5:3000/" }).publicUrl).toBe("http://10.0.0.5:3000/");
    expect(parseConfig({}).publicUrl).toBeUndefined();
  });
});
