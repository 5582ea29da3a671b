import { describe, expect, it } from "vitest";
import type { EventWrite } from "./convert";
import { createSlowEventFilter } from "./slow-filter";

const T0 = Date.parse("2026-11-20T10:00:00Z");

function ev(source: EventWrite["source"], durationMs: number, minute: number, queryid = "42", username = "app"): EventWrite {
  return {
    targetId: "db", source, dedupeKey: `${source}:${queryid}:${minute}`, fingerprint: `fp${queryid}`, query: "SELECT 1", durationMs,
    calls: 3, totalMs: durationMs * 3, maxMs: null, capturedAt: new Date(T0 + minute * 60_000), queryid, pid: null, username, datname: "app",
  };
}

describe("slow statement events kept", () => {
  it("keeps every log row, running statement and window over the threshold", () => {
    const keep = createSlowEventFilter({ thresholdMs: () => 500 });
    for (let m = 0; m < 10; m++) {
      expect(keep(ev("slow_query_log", 600, m))).toBe(true);
      expect(keep(ev("running", 1200, m))).toBe(true);
      expect(keep(ev("pg_stat_statements", 501, m))).toBe(true);
    }
  });

  it("keeps a top-by-time window under the threshold once per statement per hour", () => {
    const keep = createSlowEventFilter({ thresholdMs: () => 1000 });
    const kept = Array.from({ length: 8 * 60 }, (_, q) => q / 4).filter((m) => keep(ev("pg_stat_statements", 3, m)));
    // Every 15 s for two hours: minute 0 and minute 60 only.
    expect(kept).toEqual([0, 60]);
    // Another role's same statement is its own statement.
    expect(keep(ev("pg_stat_statements", 3, 1, "42", "exporter"))).toBe(true);
    expect(keep(ev("pg_stat_statements", 3, 2, "42", "exporter"))).toBe(false);
    // Over the threshold it is kept whatever came before.
    expect(keep(ev("pg_stat_statements", 1500, 61))).toBe(true);
  });

  it("uses each target's threshold", () => {
    const keep = createSlowEventFilter({ thresholdMs: (t) => (t === "db" ? 10 : 1000) });
    expect([0, 1, 2].map((m) => keep(ev("pg_stat_statements", 50, m)))).toEqual([true, true, true]);
  });
});
