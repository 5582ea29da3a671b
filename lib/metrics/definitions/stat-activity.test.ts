import { describe, expect, it } from "vitest";
import { activitySeries, type StatActivityRow } from "./stat-activity";

const row = (over: Partial<StatActivityRow>): StatActivityRow => ({
  pid: 1, datname: "d", usename: "u", application_name: "app", client_addr: null, state: "idle",
  wait_event_type: null, wait_event: null, backend_start: null, xact_start: null, query_start: null,
  state_change: null, query: "", query_id: null, blocked_by: [], query_ms: null, xact_ms: null,
  state_ms: 1000, lock_wait_ms: null, hidden: false, ...over,
});

const byName = (rows: StatActivityRow[]) =>
  Object.fromEntries(activitySeries(rows).map((s) => [s.name.replace("stat_activity.", ""), s.value]));

describe("activitySeries", () => {
  it("counts sessions by state and takes the longest waits", () => {
    const v = byName([
      row({ pid: 1, state: "active", query_ms: 2500, xact_ms: 2600 }),
      row({ pid: 2, state: "active", query_ms: 500, xact_ms: 9000, wait_event_type: "Lock", blocked_by: [3], lock_wait_ms: 400 }),
      row({ pid: 3, state: "idle in transaction", xact_ms: 12000, state_ms: 7000 }),
      row({ pid: 4, state: "idle" }),
      row({ pid: 5, state: null, query: "<insufficient privilege>", hidden: true, state_ms: null }),
    ]);
    expect(v).toEqual({
      total: 5, active: 2, idle: 1, idle_in_transaction: 1, waiting_lock: 1, blocked: 1, hidden: 1,
      longest_query_seconds: 2.5, longest_xact_seconds: 12, longest_idle_in_transaction_seconds: 7,
      longest_lock_wait_seconds: 0.4,
    });
  });

  it("reports longest durations as null, not 0, when nothing qualifies", () => {
    const v = byName([row({ state: "idle" })]);
    expect(v.longest_query_seconds).toBeNull();
    expect(v.longest_xact_seconds).toBeNull();
    expect(v.longest_idle_in_transaction_seconds).toBeNull();
    expect(v.longest_lock_wait_seconds).toBeNull();
    expect(v.total).toBe(1);
  });

  it("emits unlabelled gauges, also for no sessions at all", () => {
    const series = activitySeries([]);
    expect(series).toHaveLength(11);
    expect(series.every((s) => s.kind === "gauge" && Object.keys(s.labels).length === 0)).toBe(true);
    expect(byName([]).total).toBe(0);
  });
});
