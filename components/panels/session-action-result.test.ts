import { describe, expect, it } from "vitest";
import type { SessionActionResponse } from "@/lib/api/activity";
import { describeSessionAction } from "./session-action-result";

const r = (over: Partial<SessionActionResponse>): SessionActionResponse => ({
  pid: 4242,
  action: "cancel",
  ok: true,
  at: "2026-01-01T10:00:00.000Z",
  outcome: "ended",
  afterMs: 84,
  watchedMs: 2000,
  stateAfter: "idle",
  ...over,
});

describe("describeSessionAction", () => {
  it.each([
    [r({}), "good", "Cancel sent to pid 4242: its statement stopped after 84 ms; the session is now idle."],
    [r({ action: "terminate", afterMs: 31, stateAfter: null }), "good", "Terminate sent to pid 4242: the session ended after 31 ms."],
    [r({ outcome: "still_running", afterMs: null, stateAfter: "active" }), "warn", "Cancel sent to pid 4242, but its statement was still running 2 s later (it may trap the cancel). Terminate ends the session."],
    [r({ ok: false, outcome: "gone", afterMs: null, watchedMs: 0, stateAfter: null }), "bad", "pid 4242 had already ended: no signal was sent."],
    [r({ outcome: "not_running", afterMs: null, watchedMs: 0, stateAfter: "idle in transaction" }), "warn", expect.stringContaining("not running a statement (idle in transaction)")],
    [r({ outcome: "unseen", afterMs: null, watchedMs: 0, stateAfter: null }), "warn", expect.stringContaining("pg_read_all_stats")],
  ])("%#", (answer, tone, text) => {
    expect(describeSessionAction(answer)).toEqual({ tone, text });
  });
});
