import { INACTIVE, type InstanceState, type Rule, type Transition } from "./types";

// The pure heart of alerting: given a rule, the latest reading of one object (or null when the
// object is gone), the previous state and the time, return the next state and the transitions.
// No clock, no I/O: every timing decision is made from `now`, so tests inject it.

export type EvalRule = Pick<Rule, "comparator" | "threshold" | "clearThreshold" | "forSeconds" | "keepFiringForSeconds">;

export interface EvalResult {
  state: InstanceState;
  events: Transition[];
}

/** Whether a value is beyond the rule's line; a firing alert uses the (hysteresis) clear line. */
export function breaches(rule: EvalRule, value: number, firing: boolean): boolean {
  let line = rule.threshold;
  if (firing && rule.clearThreshold !== null) {
    // A clear line on the wrong side of the threshold would make the alert flap: clamp it.
    line = rule.comparator === "gt" ? Math.min(rule.clearThreshold, rule.threshold) : Math.max(rule.clearThreshold, rule.threshold);
  }
  return rule.comparator === "gt" ? value > line : value < line;
}

/**
 * `input`: `{ value }` for an object seen in this result, `null` for an object that is no longer
 * there (a pid gone, a fingerprint with no occurrence) — that counts as "condition false".
 * `value: null` means the object is there but cannot be measured now: the state is held, unless
 * `forced` says the condition holds regardless of the value.
 */
export function evaluate(rule: EvalRule, input: { value: number | null; forced?: boolean } | null, previous: InstanceState | null, now: number): EvalResult {
  const prev = previous ?? INACTIVE;
  const forced = input?.forced === true;
  if (input !== null && input.value === null && !forced) return { state: prev, events: [] };
  const value = input?.value ?? null;
  const bad = forced || (value !== null && breaches(rule, value, prev.state === "firing"));
  const forMs = Math.max(0, rule.forSeconds) * 1000;
  const keepMs = Math.max(0, rule.keepFiringForSeconds) * 1000;

  switch (prev.state) {
    case "inactive":
    case "resolved": {
      if (!bad) return { state: prev, events: [] };
      // A new episode always starts from "inactive", whatever ended the last one.
      if (forMs === 0) {
        return {
          state: { state: "firing", since: now, firedAt: now, resolvedAt: null, lastBadAt: now, value },
          events: [{ from: "inactive", to: "firing", at: now, value }],
        };
      }
      return {
        state: { state: "pending", since: now, firedAt: null, resolvedAt: null, lastBadAt: now, value },
        events: [{ from: "inactive", to: "pending", at: now, value }],
      };
    }
    case "pending": {
      if (!bad) {
        return { state: { ...INACTIVE, value }, events: [{ from: "pending", to: "inactive", at: now, value }] };
      }
      const since = prev.since ?? now;
      if (now - since >= forMs) {
        return {
          state: { state: "firing", since, firedAt: now, resolvedAt: null, lastBadAt: now, value },
          events: [{ from: "pending", to: "firing", at: now, value }],
        };
      }
      return { state: { ...prev, since, lastBadAt: now, value }, events: [] };
    }
    case "firing": {
      if (bad) return { state: { ...prev, lastBadAt: now, value }, events: [] };
      const lastBad = prev.lastBadAt ?? prev.firedAt ?? now;
      if (now - lastBad >= keepMs) {
        return {
          state: { ...prev, state: "resolved", resolvedAt: now, value: value ?? prev.value },
          events: [{ from: "firing", to: "resolved", at: now, value }],
        };
      }
      return { state: { ...prev, value: value ?? prev.value }, events: [] };
    }
  }
}
