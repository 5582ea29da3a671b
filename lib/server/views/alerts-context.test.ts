import { describe, expect, it } from "vitest";
import { alertChart, alertLinks, alertSentence, buildAlertContext, firedValue, objectPhrase } from "./alerts-context";

const since = new Date("2026-01-01T10:00:00Z");
const alert = (over: Partial<Parameters<typeof alertSentence>[0]> = {}) => ({
  rule: "cache_hit_ratio",
  targetId: "prod",
  objectKey: "db:kundli_db",
  state: "firing" as const,
  labels: { database: "kundli_db" },
  details: {},
  since,
  ...over,
});

describe("alert context", () => {
  it.each([
    ["cache_hit_ratio", "db:kundli_db", "database kundli_db"],
    ["idle_in_transaction", "pid:4242", "session 4242"],
    ["index_bloat", "public.users_email_idx", "index public.users_email_idx"],
    ["table_size", "public.birth_charts", "table public.birth_charts"],
    ["slow_query", "a1b2", "statement fingerprint a1b2"],
    ["blocked_sessions", "locks", ""],
    ["target_down", "", ""],
  ])("objectPhrase(%s, %s) = %s", (rule, key, want) => {
    expect(objectPhrase(rule, key)).toBe(want);
  });

  it("says what fired and where in one sentence", () => {
    expect(alertSentence(alert(), "Production", null)).toBe("Cache hit ratio below the threshold (cache_hit_ratio) is firing for database kundli_db on Production.");
    expect(alertSentence(alert({ state: "resolved" }), "Production", null)).toBe(
      "Cache hit ratio below the threshold (cache_hit_ratio) fired and has resolved for database kundli_db on Production.",
    );
    expect(alertSentence(alert({ rule: "slow_query", objectKey: "f00d" }), "Production", { fingerprint: "f00d", pid: 77, durationMs: 5000 })).toBe(
      "Query slower than the threshold (slow_query) is firing for statement fingerprint f00d on Production: the statement is still running (pid 77).",
    );
  });

  it("links each object to the page and URL state that shows it", () => {
    const hrefs = (a: ReturnType<typeof alert>, running = null as Parameters<typeof alertLinks>[1]) => alertLinks(a, running).map((l) => `${l.kind} ${l.href}`);
    expect(hrefs(alert({ rule: "slow_query", objectKey: "ab/cd" }), { fingerprint: "ab/cd", pid: 9, durationMs: 1 })).toEqual([
      "query /targets/prod/queries/ab%2Fcd",
      "session /targets/prod/live?pid=9",
      "target /targets/prod/live",
    ]);
    expect(hrefs(alert({ rule: "index_bloat", objectKey: "public.x_idx" }))[0]).toBe("index /targets/prod/tables?tab=indexes&q=public.x_idx");
    expect(hrefs(alert({ rule: "table_size", objectKey: "public.birth_charts" }))[0]).toBe("table /targets/prod/tables?q=public.birth_charts&table=public.birth_charts");
    expect(hrefs(alert({ rule: "vacuum_behind", objectKey: "table:public.users" }))[0]).toBe("table /targets/prod/tables?q=public.users&table=public.users");
    expect(hrefs(alert({ rule: "idle_in_transaction", objectKey: "pid:123" }))[0]).toBe("session /targets/prod/live?pid=123");
    expect(hrefs(alert({ rule: "blocked_sessions", objectKey: "locks", details: { pids: [5, "x"], blockers: [4] } }))).toEqual([
      "session /targets/prod/live?pid=4",
      "session /targets/prod/live?pid=5",
      "target /targets/prod/live",
    ]);
  });

  it("charts only a series that measures what the rule measures, in the alert's unit", () => {
    expect(alertChart(alert(), null)).toEqual({ metric: "cache_hit_ratio", scale: 1, database: "kundli_db", label: "cache hit ratio" });
    expect(alertChart(alert({ rule: "connection_saturation", objectKey: "", labels: {} }), null)?.scale).toBe(100);
    expect(alertChart(alert({ rule: "slow_query", objectKey: "f", labels: { source: "slow_query_log" } }), null)).toBeNull();
    expect(alertChart(alert({ rule: "slow_query", objectKey: "f", labels: { source: "running" } }), null)?.metric).toBe("longest_query_seconds");
    expect(alertChart(alert({ rule: "table_size", objectKey: "public.t" }), null)).toBeNull();
  });

  it("takes the fired value from the current episode's change of state, not from an acknowledgement", () => {
    const at = (s: number) => new Date(since.getTime() + s * 1000);
    const events = [
      { at: at(-3600), from: "inactive" as const, to: "firing" as const, value: 50 },
      { at: at(0), from: "inactive" as const, to: "pending" as const, value: 85 },
      { at: at(60), from: "pending" as const, to: "firing" as const, value: 84 },
      { at: at(90), from: "firing" as const, to: "firing" as const, value: 91 },
    ];
    expect(firedValue(events, since)).toBe(84);
    expect(firedValue(events.slice(0, 2), since)).toBe(85);
    expect(firedValue([], since)).toBeNull();
  });

  it("builds the context with the resolved rule, the hint and the longest running occurrence", () => {
    const c = buildAlertContext({
      alert: alert({ rule: "sequence_exhaustion", objectKey: "sequence:public.users_id_seq", labels: {} }),
      events: [],
      rule: { comparator: "gt", threshold: 75, clearThreshold: null, keepFiringForSeconds: 0 },
      targetName: "Production",
      running: [],
    });
    expect(c.hint).toMatch(/bigint/);
    expect(c.threshold).toBe(75);
    const slow = buildAlertContext({
      alert: alert({ rule: "slow_query", objectKey: "f1", labels: { source: "running" } }),
      events: [],
      rule: { comparator: "gt", threshold: 1000, clearThreshold: null, keepFiringForSeconds: 600 },
      targetName: "Production",
      running: [
        { fingerprint: "f1", pid: 1, durationMs: 2000 },
        { fingerprint: "f1", pid: 2, durationMs: 9000 },
        { fingerprint: "other", pid: 3, durationMs: 99_000 },
      ],
    });
    expect(slow.running).toEqual({ pid: 2, forMs: 9000 });
    // A resolved alert is not "running", whatever the snapshot says of its fingerprint.
    const done = buildAlertContext({
      alert: alert({ rule: "slow_query", objectKey: "f1", state: "resolved" }),
      events: [],
      rule: { comparator: "gt", threshold: 1000, clearThreshold: null, keepFiringForSeconds: 600 },
      targetName: "Production",
      running: [{ fingerprint: "f1", pid: 2, durationMs: 9000 }],
    });
    expect(done.running).toBeNull();
  });
});
