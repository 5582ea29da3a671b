import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineMetric } from "./define";
import type { MetricDefinition } from "./types";

// defineMetric is the one place a row type is erased: what a definition does with its rows
// must be unchanged by it.

const row = z.object({ datname: z.string(), commits: z.number() });
const spec = {
  id: "typed",
  description: "typed rows",
  scope: "cluster" as const,
  lane: "bulk" as const,
  intervalMs: 1_000,
  timeoutMs: 500,
  sql: { 130000: "SELECT 1" },
  row,
  labels: ["datname"] as const,
  counters: ["commits"] as const,
  gauges: [],
};

describe("defineMetric", () => {
  it("keeps every field, and a definition of any row fits a list of definitions", () => {
    const def = defineMetric(spec);
    const list: MetricDefinition[] = [def];
    expect(list[0]).toMatchObject({ id: "typed", lane: "bulk", intervalMs: 1_000, labels: ["datname"], counters: ["commits"] });
    expect(def.row.parse({ datname: "a", commits: 3 })).toEqual({ datname: "a", commits: 3 });
    expect(def.toSeries).toBeUndefined();
  });

  it("hands toSeries the rows as its typed function sees them", () => {
    const def = defineMetric({
      ...spec,
      toSeries: (rows) => rows.map((r) => ({ name: "typed.commits", labels: { datname: r.datname }, value: r.commits * 2, kind: "counter" as const })),
    });
    expect(def.toSeries!([{ datname: "a", commits: 3 }])).toEqual([{ name: "typed.commits", labels: { datname: "a" }, value: 6, kind: "counter" }]);
  });
});
