import { INACTIVE, SEVERITY_ORDER, type InstanceState, type Rule, type Severity, type Transition } from "./types";

// The pure heart of alerting: given a rule, the latest reading of one object (or null when the
// object is gone), the previous state and the time, return the next state and the transitions.
// No clock, no I/O: every timing decision is made from `now`, so tests inject it.

export type EvalRule = Pick<Rule, "comparator" | "threshold" | "clearThreshold" | "forSeconds" | "keepFiringForSeconds"> &
  Partial<Pick<Rule, "criticalThreshold" | "severity">>;

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
 * The severity a reading calls for: critical past the critical line (strictly, like the
 * threshold), the rule's own severity otherwise. An unknown value calls for the rule's severity.
 */
export function severityFor(rule: EvalRule, value: number | null): Severity {
  const base = rule.severity ?? "warning";
  const line = rule.criticalThreshold ?? null;
  if (value === null || line === null) return base;
  const past = rule.comparator === "gt" ? value > line : value < line;
  return past && SEVERITY_ORDER.critical > SEVERITY_ORDER[base] ? "critical" : base;
}

const worse = (a: Severity, b: Severity): Severity => (SEVERITY_ORDER[a] >= SEVERITY_ORDER[b] ? a : b);

/**
 * `input`: `{ value }` for an object seen in this result, `null` for an object that is no longer
 * there (a pid gone, a fingerprint with no occurrence) — that counts as "condition false".
 * `value: null` means the object is there but cannot be measured now: the state is held, unless
 * `forced` says the condition holds regardless of the value.
 *
 * Severity: an episode fires at the severity its value calls for (severityFor) and escalates
 * once, with a `firing → firing` step, when a later value passes the critical line. It never
 * steps down within the episode: a value back between the two lines keeps it critical until it
 * resolves. A page already sent is not taken back by a dip, and a value wavering around the
 * critical line would otherwise notify at every crossing.
 */
export function evaluate(rule: EvalRule, input: { value: number | null; forced?: string } | null, previous: InstanceState | null, now: number): EvalResult {
  const prev = { ...INACTIVE, ...previous };
  const forced = Boolean(input?.forced);
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
        const severity = severityFor(rule, value);
        return {
          state: { state: "firing", since: now, firedAt: now, resolvedAt: null, lastBadAt: now, value, severity },
          events: [{ from: "inactive", to: "firing", at: now, value, severity }],
        };
      }
      return {
        state: { state: "pending", since: now, firedAt: null, resolvedAt: null, lastBadAt: now, value, severity: null },
        events: [{ from: "inactive", to: "pending", at: now, value }],
      };
    }
    case "pending": {
      if (!bad) {
        return { state: { ...INACTIVE, value }, events: [{ from: "pending", to: "inactive", at: now, value }] };
      }
      const since = prev.since ?? now;
      if (now - since >= forMs) {
        const severity = severityFor(rule, value);
        return {
          state: { state: "firing", since, firedAt: now, resolvedAt: null, lastBadAt: now, value, severity },
          events: [{ from: "pending", to: "firing", at: now, value, severity }],
        };
      }
      return { state: { ...prev, since, lastBadAt: now, value }, events: [] };
    }
    case "firing": {
      if (bad) {
        const had = prev.severity ?? rule.severity ?? "warning";
        const severity = worse(had, severityFor(rule, value));
        const state = { ...prev, lastBadAt: now, value, severity };
        return { state, events: severity === had ? [] : [{ from: "firing", to: "firing", at: now, value, severity }] };
      }
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
