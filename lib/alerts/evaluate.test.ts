import { describe, expect, it } from "vitest";
import { evaluate, severityFor, type EvalRule } from "./evaluate";
import { INACTIVE, type AlertState, type InstanceState } from "./types";

const T0 = Date.UTC(2026, 0, 1);
const s = (n: number) => T0 + n * 1000;

const gt: EvalRule = { comparator: "gt", threshold: 100, clearThreshold: null, forSeconds: 30, keepFiringForSeconds: 0 };

function st(state: AlertState, over: Partial<InstanceState> = {}): InstanceState {
  return { ...INACTIVE, state, ...over };
}

describe("evaluate: single transitions", () => {
  const cases: Array<{
    name: string;
    rule?: Partial<EvalRule>;
    input: { value: number | null; forced?: string } | null;
    prev: InstanceState;
    now: number;
    to: AlertState;
    events: Array<[AlertState, AlertState]>;
  }> = [
    { name: "inactive stays inactive below the line", input: { value: 50 }, prev: INACTIVE, now: s(0), to: "inactive", events: [] },
    { name: "the line itself is not a breach (strict >)", input: { value: 100 }, prev: INACTIVE, now: s(0), to: "inactive", events: [] },
    { name: "inactive → pending when for > 0", input: { value: 150 }, prev: INACTIVE, now: s(0), to: "pending", events: [["inactive", "pending"]] },
    { name: "inactive → firing at once when for = 0", rule: { forSeconds: 0 }, input: { value: 150 }, prev: INACTIVE, now: s(0), to: "firing", events: [["inactive", "firing"]] },
    { name: "pending stays pending before for elapsed", input: { value: 150 }, prev: st("pending", { since: s(0), lastBadAt: s(0) }), now: s(29), to: "pending", events: [] },
    { name: "pending → firing when for elapsed", input: { value: 150 }, prev: st("pending", { since: s(0), lastBadAt: s(20) }), now: s(30), to: "firing", events: [["pending", "firing"]] },
    { name: "pending → inactive when the condition clears", input: { value: 10 }, prev: st("pending", { since: s(0) }), now: s(10), to: "inactive", events: [["pending", "inactive"]] },
    { name: "pending → inactive when the object disappears", input: null, prev: st("pending", { since: s(0) }), now: s(10), to: "inactive", events: [["pending", "inactive"]] },
    { name: "firing stays firing while above", input: { value: 120 }, prev: st("firing", { since: s(0), firedAt: s(30), lastBadAt: s(30) }), now: s(60), to: "firing", events: [] },
    { name: "firing → resolved when clear and keepFiringFor = 0", input: { value: 10 }, prev: st("firing", { since: s(0), firedAt: s(30), lastBadAt: s(30) }), now: s(60), to: "resolved", events: [["firing", "resolved"]] },
    { name: "firing → resolved when the object disappears (pid gone)", input: null, prev: st("firing", { since: s(0), firedAt: s(30), lastBadAt: s(30) }), now: s(60), to: "resolved", events: [["firing", "resolved"]] },
    { name: "keepFiringFor holds a clear alert", rule: { keepFiringForSeconds: 600 }, input: null, prev: st("firing", { since: s(0), firedAt: s(0), lastBadAt: s(100) }), now: s(699), to: "firing", events: [] },
    { name: "keepFiringFor elapsed → resolved", rule: { keepFiringForSeconds: 600 }, input: { value: 1 }, prev: st("firing", { since: s(0), firedAt: s(0), lastBadAt: s(100) }), now: s(700), to: "resolved", events: [["firing", "resolved"]] },
    { name: "hysteresis: between clear and threshold stays firing", rule: { clearThreshold: 80 }, input: { value: 90 }, prev: st("firing", { since: s(0), firedAt: s(0), lastBadAt: s(0) }), now: s(10), to: "firing", events: [] },
    { name: "hysteresis: at/below the clear line resolves", rule: { clearThreshold: 80 }, input: { value: 80 }, prev: st("firing", { since: s(0), firedAt: s(0), lastBadAt: s(0) }), now: s(10), to: "resolved", events: [["firing", "resolved"]] },
    { name: "hysteresis does not apply before firing", rule: { clearThreshold: 80 }, input: { value: 90 }, prev: INACTIVE, now: s(0), to: "inactive", events: [] },
    { name: "resolved → pending on a new breach (new episode)", input: { value: 150 }, prev: st("resolved", { since: s(0), firedAt: s(30), resolvedAt: s(60) }), now: s(90), to: "pending", events: [["inactive", "pending"]] },
    { name: "resolved stays resolved while clear", input: { value: 1 }, prev: st("resolved", { resolvedAt: s(60) }), now: s(90), to: "resolved", events: [] },
    { name: "null value holds pending", input: { value: null }, prev: st("pending", { since: s(0) }), now: s(100), to: "pending", events: [] },
    { name: "null value holds firing", input: { value: null }, prev: st("firing", { since: s(0), firedAt: s(0), lastBadAt: s(0) }), now: s(1000), to: "firing", events: [] },
    { name: "null value does not start an episode", input: { value: null }, prev: INACTIVE, now: s(0), to: "inactive", events: [] },
    { name: "lt comparator: below fires", rule: { comparator: "lt", threshold: 90, forSeconds: 0 }, input: { value: 85 }, prev: INACTIVE, now: s(0), to: "firing", events: [["inactive", "firing"]] },
    { name: "lt comparator: clear line above the threshold", rule: { comparator: "lt", threshold: 90, clearThreshold: 92, forSeconds: 0 }, input: { value: 91 }, prev: st("firing", { since: s(0), firedAt: s(0), lastBadAt: s(0) }), now: s(10), to: "firing", events: [] },
    { name: "forced: under the line still starts an episode (a lost slot)", input: { value: 5, forced: "WAL lost" }, prev: INACTIVE, now: s(0), to: "pending", events: [["inactive", "pending"]] },
    { name: "forced: a null value is a breach, not a hold", rule: { forSeconds: 0 }, input: { value: null, forced: "WAL lost" }, prev: INACTIVE, now: s(0), to: "firing", events: [["inactive", "firing"]] },
    { name: "forced: keeps a firing alert under the clear line", rule: { clearThreshold: 80 }, input: { value: 1, forced: "WAL unreserved" }, prev: st("firing", { since: s(0), firedAt: s(0), lastBadAt: s(0) }), now: s(10), to: "firing", events: [] },
    { name: "forced lifted: resolves on the value alone", input: { value: 1 }, prev: st("firing", { since: s(0), firedAt: s(0), lastBadAt: s(0) }), now: s(10), to: "resolved", events: [["firing", "resolved"]] },
    { name: "a clear line on the wrong side is clamped to the threshold", rule: { clearThreshold: 120 }, input: { value: 110 }, prev: st("firing", { since: s(0), firedAt: s(0), lastBadAt: s(0) }), now: s(10), to: "firing", events: [] },
  ];
  it.each(cases)("$name", ({ rule, input, prev, now, to, events }) => {
    const out = evaluate({ ...gt, ...rule }, input, prev, now);
    expect(out.state.state).toBe(to);
    expect(out.events.map((e) => [e.from, e.to])).toEqual(events);
    for (const e of out.events) expect(e.at).toBe(now);
  });
});

/** Runs a value sequence (one per 10 s) and returns the transitions as "from>to@second". */
function run(rule: EvalRule, values: Array<number | null | "gone">): string[] {
  let state: InstanceState = INACTIVE;
  const out: string[] = [];
  values.forEach((v, i) => {
    const res = evaluate(rule, v === "gone" ? null : { value: v }, state, s(i * 10));
    state = res.state;
    for (const e of res.events) out.push(`${e.from}>${e.to}@${i * 10}`);
  });
  return out;
}

describe("evaluate: sequences", () => {
  it("a full episode: pending 30 s, firing, resolved, then a new episode", () => {
    expect(run(gt, [150, 150, 150, 150, 150, 10, 150])).toEqual(["inactive>pending@0", "pending>firing@30", "firing>resolved@50", "inactive>pending@60"]);
  });

  it("flapping around the threshold without hysteresis never fires with for = 30 s", () => {
    expect(run(gt, [150, 50, 150, 50, 150, 50])).toEqual([
      "inactive>pending@0",
      "pending>inactive@10",
      "inactive>pending@20",
      "pending>inactive@30",
      "inactive>pending@40",
      "pending>inactive@50",
    ]);
  });

  it("hysteresis keeps a firing alert through values that dip under the threshold", () => {
    const rule = { ...gt, forSeconds: 0, clearThreshold: 80 };
    expect(run(rule, [150, 95, 101, 85, 99, 70])).toEqual(["inactive>firing@0", "firing>resolved@50"]);
  });

  it("keepFiringFor bridges gaps between occurrences (slow query)", () => {
    const rule = { ...gt, forSeconds: 0, keepFiringForSeconds: 30 };
    // Seen at 0 and 20; gone afterwards: resolves 30 s after the last occurrence.
    expect(run(rule, [150, "gone", 150, "gone", "gone", "gone", "gone"])).toEqual(["inactive>firing@0", "firing>resolved@50"]);
  });

  it("the pending clock keeps the first breach time across evaluations", () => {
    const out = evaluate(gt, { value: 150 }, INACTIVE, s(0));
    const mid = evaluate(gt, { value: 200 }, out.state, s(15));
    expect(mid.state.since).toBe(s(0));
    expect(mid.state.value).toBe(200);
    const fired = evaluate(gt, { value: 160 }, mid.state, s(30));
    expect(fired.state).toMatchObject({ state: "firing", since: s(0), firedAt: s(30), lastBadAt: s(30), value: 160 });
  });

  it("for = 0 with keepFiringFor = 0 fires and resolves on consecutive samples", () => {
    expect(run({ ...gt, forSeconds: 0 }, [150, 10, 150, 10])).toEqual(["inactive>firing@0", "firing>resolved@10", "inactive>firing@20", "firing>resolved@30"]);
  });

  it("a previous state of null is inactive", () => {
    expect(evaluate(gt, { value: 150 }, null, s(0)).events).toHaveLength(1);
  });
});

describe("evaluate: severity from the value", () => {
  // Warning past 100, critical past 300 (replication_lag's shape); fires at once.
  const two: EvalRule = { ...gt, forSeconds: 0, criticalThreshold: 300, severity: "warning" };
  const firing = (severity: "warning" | "critical", over: Partial<InstanceState> = {}) => st("firing", { since: s(0), firedAt: s(0), lastBadAt: s(0), severity, ...over });

  const cases: Array<{ name: string; rule?: Partial<EvalRule>; value: number | null; prev: InstanceState; to: AlertState; severity: string | null; events: string[] }> = [
    { name: "past the warning line only: fires as warning", value: 150, prev: INACTIVE, to: "firing", severity: "warning", events: ["inactive>firing:warning"] },
    { name: "past the critical line at once: fires as critical, one step", value: 400, prev: INACTIVE, to: "firing", severity: "critical", events: ["inactive>firing:critical"] },
    { name: "the critical line itself is not past it (strict >)", value: 300, prev: INACTIVE, to: "firing", severity: "warning", events: ["inactive>firing:warning"] },
    { name: "a warning episode crossing the line escalates, same episode", value: 400, prev: firing("warning"), to: "firing", severity: "critical", events: ["firing>firing:critical"] },
    { name: "a critical episode stays critical without a new step", value: 500, prev: firing("critical"), to: "firing", severity: "critical", events: [] },
    { name: "back between the lines: stays critical, no step", value: 150, prev: firing("critical"), to: "firing", severity: "critical", events: [] },
    { name: "under the warning line: resolves, keeping the severity it reached", value: 50, prev: firing("critical"), to: "resolved", severity: "critical", events: ["firing>resolved"] },
    { name: "a null value holds, no escalation", value: null, prev: firing("warning"), to: "firing", severity: "warning", events: [] },
    { name: "no critical line: one severity", rule: { criticalThreshold: null }, value: 10_000, prev: firing("warning"), to: "firing", severity: "warning", events: [] },
    { name: "a rule already critical never steps", rule: { severity: "critical" }, value: 400, prev: firing("critical"), to: "firing", severity: "critical", events: [] },
    { name: "an info rule jumps to critical past the line", rule: { severity: "info" }, value: 400, prev: INACTIVE, to: "firing", severity: "critical", events: ["inactive>firing:critical"] },
    { name: "lt: under the critical line is critical", rule: { comparator: "lt", threshold: 90, criticalThreshold: 50 }, value: 40, prev: INACTIVE, to: "firing", severity: "critical", events: ["inactive>firing:critical"] },
    { name: "pending fires at the severity of the value at firing time", rule: { forSeconds: 30 }, value: 400, prev: st("pending", { since: s(0), lastBadAt: s(0) }), to: "firing", severity: "critical", events: ["pending>firing:critical"] },
  ];
  it.each(cases)("$name", ({ rule, value, prev, to, severity, events }) => {
    const out = evaluate({ ...two, ...rule }, { value }, prev, s(30));
    expect(out.state.state).toBe(to);
    expect(out.state.severity).toBe(severity);
    expect(out.events.map((e) => `${e.from}>${e.to}${e.severity ? `:${e.severity}` : ""}`)).toEqual(events);
  });

  it("a whole episode: one escalation however often the value crosses the line", () => {
    let state: InstanceState = INACTIVE;
    const steps: string[] = [];
    [150, 400, 200, 450, 250, 50].forEach((v, i) => {
      const out = evaluate(two, { value: v }, state, s(i * 10));
      state = out.state;
      for (const e of out.events) steps.push(`${e.from}>${e.to}@${i * 10}${e.severity ? `:${e.severity}` : ""}`);
    });
    expect(steps).toEqual(["inactive>firing@0:warning", "firing>firing@10:critical", "firing>resolved@50"]);
  });

  it("severityFor: a forced breach with no value keeps the rule's severity", () => {
    expect(severityFor(two, null)).toBe("warning");
    expect(evaluate(two, { value: null, forced: "WAL lost" }, INACTIVE, s(0)).state.severity).toBe("warning");
  });
});
