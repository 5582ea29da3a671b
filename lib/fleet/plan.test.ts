import { describe, expect, it } from "vitest";
import { planLeases, type LeaseView } from "./plan";

const targets = ["a", "b", "c", "d"];
const lease = (targetId: string, holder: string, live = true): LeaseView => ({ targetId, holder, live });
const fixed = () => 0.5;

describe("planLeases", () => {
  const cases: Array<{ name: string; held: string[]; leases: LeaseView[]; instances: string[]; acquire: number; shed: string[]; from?: string[] }> = [
    { name: "a lone instance takes every target", held: [], leases: [], instances: ["me"], acquire: 4, shed: [] },
    { name: "two instances: each aims for half", held: [], leases: [], instances: ["me", "x"], acquire: 2, shed: [] },
    { name: "live leases of others are not taken", held: [], leases: [lease("a", "x"), lease("b", "x"), lease("c", "x")], instances: ["me", "x"], acquire: 1, shed: [], from: ["d"] },
    { name: "expired leases are free", held: ["c"], leases: [lease("a", "x", false), lease("b", "x", false), lease("c", "me"), lease("d", "y")], instances: ["me", "y"], acquire: 1, shed: [], from: ["a", "b"] },
    { name: "a holder over its share gives the whole excess back at once when nothing is free", held: ["a", "b", "c", "d"], leases: targets.map((t) => lease(t, "me")), instances: ["me", "x"], acquire: 0, shed: ["c", "d"] },
    { name: "no shedding while free targets remain for the newcomer", held: ["a", "b", "c"], leases: [lease("a", "me"), lease("b", "me"), lease("c", "me")], instances: ["me", "x", "y"], acquire: 0, shed: [] },
    { name: "at its share: nothing to do", held: ["a", "b"], leases: [lease("a", "me"), lease("b", "me"), lease("c", "x"), lease("d", "x")], instances: ["me", "x"], acquire: 0, shed: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planLeases({ self: "me", targets, held: new Set(c.held), leases: c.leases, instances: c.instances, random: fixed });
      expect(plan.acquire).toHaveLength(c.acquire);
      if (c.from) for (const t of plan.acquire) expect(c.from).toContain(t);
      for (const t of plan.acquire) expect(c.held).not.toContain(t);
      expect(plan.shed).toEqual(c.shed);
    });
  }

  // 10 targets over 4 instances: shares 3, 3, 2, 2 by age.
  const ten = Array.from({ length: 10 }, (_, i) => `t${i}`);
  const split = (counts: Record<string, number>): LeaseView[] => {
    let i = 0;
    return Object.entries(counts).flatMap(([holder, n]) => Array.from({ length: n }, () => lease(ten[i++]!, holder)));
  };
  const heldBy = (leases: LeaseView[], who: string) => new Set(leases.filter((l) => l.holder === who).map((l) => l.targetId));

  it("the exact shares add up to the target count, the oldest instances taking the remainder", () => {
    const shares = ["w", "x", "y", "z"].map((self) => planLeases({ self, targets: ten, held: new Set(), leases: [], instances: ["w", "x", "y", "z"], random: fixed }).fairShare);
    expect(shares).toEqual([3, 3, 2, 2]);
  });

  it("a split within one target moves nothing", () => {
    // y holds 3 for a share of 2, but nobody is below 2: leaving it avoids churn.
    const leases = split({ w: 3, x: 2, y: 3, z: 2 });
    const plan = planLeases({ self: "y", targets: ten, held: heldBy(leases, "y"), leases, instances: ["w", "x", "y", "z"], random: fixed });
    expect(plan).toMatchObject({ acquire: [], shed: [] });
  });

  it("an instance below the smallest share makes an over-share holder give back its excess", () => {
    const leases = split({ w: 3, x: 3, y: 3, z: 1 });
    const plan = planLeases({ self: "y", targets: ten, held: heldBy(leases, "y"), leases, instances: ["w", "x", "y", "z"], random: fixed });
    expect(plan.shed).toHaveLength(1);
  });
});
