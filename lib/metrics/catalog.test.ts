import { describe, expect, it } from "vitest";
import { z } from "zod";
import { catalogTasks } from "@/lib/collector/definition-tasks";
import { metricCadenceMs } from "@/lib/server/wiring/cadence";
import { catalog, getDefinition } from "./catalog";
import { defineMetric } from "./define";
import { server } from "./definitions/server";

// The catalog is the one registration point: the collector's tasks, the store's series lookup
// and the pages' cadences are derived from it, so a definition in the list is everywhere it
// needs to be, and nothing else has to name it.

const ids = catalog.map((d) => d.id);

describe("the catalog", () => {
  it("holds each metric once, under a snake_case id", () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it("gives every definition exactly one collector task, with its lane and interval; the probe is `server`'s", () => {
    const tasks = catalogTasks();
    // The collector runs `server` itself, as its probe (lib/collector/collector.ts).
    expect(tasks.map((t) => t.id)).toEqual(ids.filter((id) => id !== server.id));
    for (const t of tasks) {
      const def = getDefinition(t.id)!;
      expect({ lane: t.lane, intervalMs: t.intervalMs }).toEqual({ lane: def.lane, intervalMs: def.intervalMs });
      // A plain definition runs under its own statement timeout; a factory's run bounds itself.
      if (!def.task) expect(t.timeoutMs).toBe(def.timeoutMs);
    }
  });

  it("makes the stateful tasks from their definitions' factories, once per call (once per target)", () => {
    const withFactory = catalog.filter((d) => d.task).map((d) => d.id);
    expect(withFactory).toEqual(["table_stats", "index_stats", "index_bloat", "slow_queries"]);
    const [a, b] = [catalogTasks(), catalogTasks()];
    for (const id of withFactory) expect(a.find((t) => t.id === id)!.run).not.toBe(b.find((t) => t.id === id)!.run);
  });

  it("is the store's and the exposition's lookup for series", () => {
    for (const d of catalog) expect(getDefinition(d.id)).toBe(d);
    expect(getDefinition("no_such_metric")).toBeUndefined();
  });

  it("is where pages read cadences: the definition's interval, or its override", () => {
    for (const d of catalog) expect(metricCadenceMs(d.id, undefined)).toBe(d.intervalMs);
    expect(metricCadenceMs("table_stats", { table_stats: 5_000, stat_activity: 700 })).toBe(5_000);
    expect(metricCadenceMs("db_stats", { table_stats: 5_000 })).toBe(15_000);
    expect(() => metricCadenceMs("no_such_metric", undefined)).toThrow(/no_such_metric/);
  });

  it("takes a list as a parameter: a new definition yields its task without touching the collector", () => {
    const extra = defineMetric({
      id: "settings_count",
      description: "test metric",
      scope: "cluster",
      lane: "live",
      intervalMs: 42_000,
      timeoutMs: 1_000,
      sql: { 130000: "/* pgpulse */ SELECT count(*)::int AS settings FROM pg_settings" },
      row: z.object({ settings: z.number().int() }),
      labels: [],
      counters: [],
      gauges: ["settings"],
    });
    const tasks = catalogTasks([...catalog, extra]);
    expect(tasks.at(-1)).toMatchObject({ id: "settings_count", lane: "live", intervalMs: 42_000, timeoutMs: 1_000 });
  });
});
