import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { promtool } from "@/test/support/promtool";

// The Prometheus scrape config and alert rules in docs/SCALING.md are what operators copy: they
// must load. Each ```yaml block whose first line names its file is written out and checked by
// promtool (Debian's prometheus package; a missing promtool fails the test).

describe("docs/SCALING.md", () => {
  it("has a scrape config and alert rules that promtool accepts, naming only metrics pgpulse exposes", async () => {
    const doc = await readFile(path.resolve("docs/SCALING.md"), "utf8");
    const blocks = new Map([...doc.matchAll(/```yaml\n# (\S+)\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]));
    expect([...blocks.keys()].sort()).toEqual(["pgpulse.rules.yml", "prometheus.yml"]);
    const dir = await mkdtemp(path.join(os.tmpdir(), "pgpulse-prom-"));
    try {
      for (const [name, body] of blocks) await writeFile(path.join(dir, name), body);
      await writeFile(path.join(dir, "token"), "x".repeat(32));
      // The credentials file is the operator's: point the check at a stand-in.
      await writeFile(path.join(dir, "prometheus.yml"), blocks.get("prometheus.yml")!.replace("/etc/prometheus/pgpulse-token", path.join(dir, "token")));
      const rules = await promtool(["check", "rules", "pgpulse.rules.yml"], { cwd: dir });
      expect(rules.output).toContain("SUCCESS: 10 rules found");
      expect(rules.code).toBe(0);
      const config = await promtool(["check", "config", "prometheus.yml"], { cwd: dir });
      expect(config.output).not.toContain("FAILED");
      expect(config.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Every pgpulse_ name in the rules is one the exposition has (lib/server/views, self-metrics).
    const sources = (await Promise.all(["lib/server/views/prometheus.ts", "lib/server/wiring/self-metrics.ts"].map((f) => readFile(path.resolve(f), "utf8")))).join("\n");
    const named = new Set([...blocks.get("pgpulse.rules.yml")!.matchAll(/\b(pgpulse_[a-z_]+?)(?:_bucket)?\b/g)].map((m) => m[1]));
    for (const name of named) expect(sources, name).toContain(`"${name}"`);
  });
});
