import { describe, expect, it } from "vitest";
import { planLeases, type LeaseView } from "./plan";

const targets = ["a", "b", "c", "d"];
const lease = (targetId: string, holder: string, live = true): LeaseView => ({ targetId, holder, live });
const fixed = () => 0.5;

describe("planLeases", () => {
  const cases: Array<{ name: string; held: string[]; leases: LeaseView[]; instances: number; acquire: number; shed: string | null; from?: string[] }> = [
    { name: "a lone instance takes every target", held: [], leases: [], instances: 1, acquire: 4, shed: null },
    { name: "two instances: each aims for half", held: [], leases: [], instances: 2, acquire: 2, shed: null },
    { name: "live leases of others are not taken", held: [], leases: [lease("a", "x"), lease("b", "x"), lease("c", "x")], instances: 2, acquire: 1, shed: null, from: ["d"] },
    { name: "expired leases are free", held: ["c"], leases: [lease("a", "x", false), lease("b", "x", false), lease("c", "me"), lease("d", "y")], instances: 2, acquire: 1, shed: null, from: ["a", "b"] },
    { name: "a holder over its share gives one back once nothing is free", held: ["a", "b", "c", "d"], leases: targets.map((t) => lease(t, "me")), instances: 2, acquire: 0, shed: "d" },
    { name: "no shedding while free targets remain for the newcomer", held: ["a", "b", "c"], leases: [lease("a", "me"), lease("b", "me"), lease("c", "me")], instances: 3, acquire: 0, shed: null },
    { name: "at its share: nothing to do", held: ["a", "b"], leases: [lease("a", "me"), lease("b", "me"), lease("c", "x"), lease("d", "x")], instances: 2, acquire: 0, shed: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planLeases({ self: "me", targets, held: new Set(c.held), leases: c.leases, instances: c.instances, random: fixed });
      expect(plan.acquire).toHaveLength(c.acquire);
      if (c.from) for (const t of plan.acquire) expect(c.from).toContain(t);
      for (const t of plan.acquire) expect(c.held).not.toContain(t);
      expect(plan.shed).toBe(c.shed);
    });
  }
});
