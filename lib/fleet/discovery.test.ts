import { describe, expect, it } from "vitest";
import { configSchema } from "@/lib/config/schema";
import { databaseWanted, discoveredTargetId, discoveredTargets } from "./discovery";

const rule = (over: Record<string, unknown> = {}) =>
  configSchema.parse({ discovery: [{ id: "prod", url: "postgres://mon:pw@db1:5433/postgres?sslmode=require", ...over }] }).discovery[0];

describe("discovery patterns", () => {
  it.each([
    [["*"], [], "app", true],
    [["fleet_*"], [], "fleet_19", true],
    [["fleet_*"], [], "other", false],
    [["fleet_*"], ["*_tmp"], "fleet_1_tmp", false],
    [["a*", "b*"], ["b2"], "b2", false],
    [["a*", "b*"], ["b2"], "b3", true],
  ])("include %j exclude %j: %s → %s", (include, exclude, db, wanted) => {
    expect(databaseWanted({ include, exclude }, db)).toBe(wanted);
  });
});

describe("discovered targets", () => {
  it("one target per wanted database, on the rule's server and role, with its tags", () => {
    const ts = discoveredTargets(rule({ include: ["app*"], tags: { env: "prod", region: "eu" } }), ["postgres", "app2", "app1"]);
    expect(ts).toEqual([
      { id: "prod-app1", name: "app1", url: "postgres://mon:pw@db1:5433/app1?sslmode=require", tags: { env: "prod", region: "eu" } },
      { id: "prod-app2", name: "app2", url: "postgres://mon:pw@db1:5433/app2?sslmode=require", tags: { env: "prod", region: "eu" } },
    ]);
  });

  it("folds a name to a valid target id and keeps the first of two that collide", () => {
    expect(discoveredTargetId("prod", "Sales DB")).toBe("prod-sales_db");
    expect(discoveredTargetId("p", "x".repeat(80))).toHaveLength(63);
    const ts = discoveredTargets(rule(), ["Sales", "sales"]);
    expect(ts.map((t) => [t.id, t.name])).toEqual([["prod-sales", "Sales"]]);
  });
});

describe("discovery config", () => {
  const issues = (raw: unknown) => {
    const r = configSchema.safeParse(raw);
    return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
  };
  it("names the field that is wrong", () => {
    expect(issues({ discovery: [{ id: "p", url: "http://x" }] })).toEqual(["discovery.0.url"]);
    expect(issues({ discovery: [{ id: "p", url: "postgres://h/db", include: [] }] })).toEqual(["discovery.0.include"]);
    expect(issues({ discovery: [{ id: "p", url: "postgres://h/db", intervalSeconds: 1 }] })).toEqual(["discovery.0.intervalSeconds"]);
    expect(issues({ discovery: [{ id: "p", url: "postgres://h/db" }, { id: "p", url: "postgres://h/db" }] })).toEqual(["discovery.1.id"]);
    expect(issues({ targets: [{ id: "t", name: "t", url: "postgres://h/db", tags: { Env: "x" } }] })).toEqual(["targets.0.tags.Env"]);
    expect(issues({ collection: { connectionsPerServer: 0 } })).toEqual(["collection.connectionsPerServer"]);
  });
});
