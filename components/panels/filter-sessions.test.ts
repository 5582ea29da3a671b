import { describe, expect, it } from "vitest";
import type { Session } from "@/lib/api/activity";
import { filterSessions } from "./filter-sessions";

const base: Session = {
  pid: 1, user: "app", application: "web", clientAddr: null, state: "active", waitEventType: null, waitEvent: null,
  backendStart: null, xactStart: null, queryStart: null, stateChange: null, query: "SELECT * FROM users", queryId: null,
  durationMs: 5, xactAgeMs: 5, blockedBy: [], hidden: false,
};
const rows: Session[] = [
  base,
  { ...base, pid: 2, user: "report", application: "metabase", state: "idle", query: "select count(*) from birth_charts" },
  { ...base, pid: 3, user: null, application: null, state: null, query: "<insufficient privilege>", hidden: true },
];
const none = { state: null, user: null, app: null, q: null };

describe("filterSessions", () => {
  it("no filters → all rows, hidden ones included", () => {
    expect(filterSessions(rows, none).map((s) => s.pid)).toEqual([1, 2, 3]);
  });
  it("by state, hidden, user, application, text (case-insensitive) and pid", () => {
    expect(filterSessions(rows, { ...none, state: "idle" }).map((s) => s.pid)).toEqual([2]);
    expect(filterSessions(rows, { ...none, state: "hidden" }).map((s) => s.pid)).toEqual([3]);
    expect(filterSessions(rows, { ...none, user: "REP" }).map((s) => s.pid)).toEqual([2]);
    expect(filterSessions(rows, { ...none, app: "web" }).map((s) => s.pid)).toEqual([1]);
    expect(filterSessions(rows, { ...none, q: "BIRTH" }).map((s) => s.pid)).toEqual([2]);
    expect(filterSessions(rows, { ...none, q: "3" }).map((s) => s.pid)).toEqual([3]);
  });
});
