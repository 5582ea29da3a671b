import { describe, expect, it } from "vitest";
import { parsePlan } from "./explain-plan";
import { explainRequestSchema } from "@/lib/api/explain";
import { placeholderCount } from "@/lib/analysis/placeholders";

const analyzed = [
  {
    Plan: {
      "Node Type": "Hash Join",
      "Startup Cost": 10,
      "Total Cost": 100,
      "Plan Rows": 50,
      "Actual Total Time": 40,
      "Actual Rows": 48,
      "Actual Loops": 1,
      "Hash Cond": "(a.id = b.a_id)",
      Plans: [
        { "Node Type": "Seq Scan", "Relation Name": "birth_charts", Alias: "b", "Total Cost": 80, "Actual Total Time": 30, "Actual Rows": 1000, "Actual Loops": 1 },
        {
          "Node Type": "Hash",
          "Total Cost": 15,
          "Actual Total Time": 6,
          "Actual Loops": 1,
          Plans: [{ "Node Type": "Index Scan", "Index Name": "users_pkey", "Relation Name": "users", Alias: "a", "Total Cost": 12, "Actual Total Time": 0.5, "Actual Loops": 10 }],
        },
      ],
    },
    "Planning Time": 0.3,
    "Execution Time": 40.5,
  },
];

describe("parsePlan", () => {
  it("computes exclusive times (loops included) and finds the slowest node", () => {
    const p = parsePlan(analyzed);
    expect(p.analyzed).toBe(true);
    expect(p.planningMs).toBe(0.3);
    expect(p.executionMs).toBe(40.5);
    const [seq, hash] = p.root.children;
    expect(seq.detail).toBe("on birth_charts b");
    expect(p.root.exclusiveMs).toBe(4); // 40 − 30 − 6
    expect(hash.children[0].actualTotalMs).toBe(5); // 0.5 ms × 10 loops
    expect(hash.exclusiveMs).toBe(1);
    expect(p.slowestId).toBe(seq.id);
    expect(p.root.extra["Hash Cond"]).toBe("(a.id = b.a_id)");
  });
  it("plan only: slowest by exclusive cost, times unknown not zero", () => {
    const p = parsePlan([{ Plan: { "Node Type": "Limit", "Total Cost": 5, Plans: [{ "Node Type": "Seq Scan", "Total Cost": 4.5 }] } }]);
    expect(p.analyzed).toBe(false);
    expect(p.root.actualTotalMs).toBeNull();
    expect(p.executionMs).toBeNull();
    expect(p.slowestId).toBe(p.root.children[0].id);
  });
  it("rejects what is not a plan", () => {
    expect(() => parsePlan({ nope: 1 })).toThrow(/EXPLAIN/);
  });
});

describe("explain request", () => {
  it("needs exactly one of fingerprint or query", () => {
    expect(explainRequestSchema.safeParse({ analyze: false }).success).toBe(false);
    expect(explainRequestSchema.safeParse({ query: "select 1", fingerprint: "ab", analyze: false }).success).toBe(false);
    expect(explainRequestSchema.parse({ query: "select 1" })).toEqual({ query: "select 1", analyze: false });
  });
  it("counts placeholders", () => {
    expect(placeholderCount("select * from t where a = $1 and b = $3")).toBe(3);
    expect(placeholderCount("select 1")).toBe(0);
  });
});
