import { describe, expect, it } from "vitest";
import { compareTrouble, fleetStatus, fleetTags, fleetView, parseTag, type FilterableRow } from "./fleet";

const row = (id: string, status: FilterableRow["status"], tags: Record<string, string> = {}): FilterableRow => ({ id, name: id, status, tags });

describe("fleet status", () => {
  it.each([
    ["down beats a critical alert", { up: false, firing: { critical: 2, warning: 0 } }, "down"],
    ["critical beats warning", { up: true, firing: { critical: 1, warning: 3 } }, "critical"],
    ["warning", { up: true, firing: { critical: 0, warning: 1 } }, "warning"],
    ["an alert on a target not polled yet still counts", { up: null, firing: { critical: 0, warning: 1 } }, "warning"],
    ["not polled, nothing firing: unknown, not fine", { up: null, firing: { critical: 0, warning: 0 } }, "unknown"],
    ["up, nothing firing", { up: true, firing: { critical: 0, warning: 0 } }, "ok"],
  ] as const)("%s", (_name, input, expected) => {
    expect(fleetStatus(input)).toBe(expected);
  });
});

describe("fleet list", () => {
  const rows = [row("db10", "ok"), row("db2", "ok"), row("web", "warning"), row("b", "down"), row("a", "critical"), row("q", "unknown"), row("A2", "down")];

  it("sorts by trouble, then by name with numbers in order", () => {
    expect([...rows].sort(compareTrouble).map((r) => r.id)).toEqual(["A2", "b", "a", "web", "q", "db2", "db10"]);
  });

  it("filters by name or id substring, every tag, and any status", () => {
    const tagged = [row("orders-eu", "ok", { env: "prod", region: "eu" }), row("orders-us", "down", { env: "prod", region: "us" }), row("orders-dev", "ok", { env: "dev" })];
    expect(fleetView(tagged, { q: "ORDERS", tags: [], status: [] }).map((r) => r.id)).toEqual(["orders-us", "orders-dev", "orders-eu"]);
    expect(fleetView(tagged, { q: null, tags: [{ key: "env", value: "prod" }], status: [] }).map((r) => r.id)).toEqual(["orders-us", "orders-eu"]);
    expect(fleetView(tagged, { q: null, tags: [{ key: "env", value: "prod" }, { key: "region", value: "eu" }], status: [] }).map((r) => r.id)).toEqual(["orders-eu"]);
    expect(fleetView(tagged, { q: "eu", tags: [], status: ["down"] })).toEqual([]);
    expect(fleetView(tagged, { q: null, tags: [], status: ["down", "ok"] })).toHaveLength(3);
  });

  it("reads key=value tags and lists the fleet's own", () => {
    expect(parseTag("env=prod")).toEqual({ key: "env", value: "prod" });
    expect(parseTag("url=a=b")).toEqual({ key: "url", value: "a=b" });
    for (const bad of ["env", "=prod", "env=", ""]) expect(parseTag(bad)).toBeNull();
    expect(fleetTags([{ tags: { region: "eu", env: "prod" } }, { tags: { env: "prod" } }])).toEqual(["env=prod", "region=eu"]);
  });
});
