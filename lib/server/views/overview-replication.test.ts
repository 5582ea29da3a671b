import { describe, expect, it } from "vitest";
import type { TargetSnapshot } from "@/lib/collector/types";
import type { MetricResult } from "@/lib/metrics/types";
import { replicationFigures } from "./overview-replication";

const ts = new Date("2026-03-01T12:00:00Z");
const ok = (metric: string, rows: Record<string, unknown>[]): MetricResult => ({ status: "ok", metric, targetId: "t", ts, durationMs: 1, rows });
const snap = (role: "primary" | "standby", metrics: Record<string, MetricResult>): TargetSnapshot =>
  ({ targetId: "t", up: true, downSince: null, lastError: null, lastSampleAt: ts, capabilities: { role } as TargetSnapshot["capabilities"], metrics }) as TargetSnapshot;
const standby = (lag: number | null, bytes: number | null) => ({ application_name: "s", replay_lag_seconds: lag, replay_bytes_behind: bytes });

describe("replicationFigures", () => {
  it.each([
    ["the slowest standby of a primary", snap("primary", { replication: ok("replication", [standby(2, 10), standby(40, 9000), standby(null, null)]) }), 40],
    ["a caught-up standby of an idle primary reads 0", snap("primary", { replication: ok("replication", [standby(null, 0)]) }), 0],
    ["no standby: unknown, not 0", snap("primary", { replication: ok("replication", []) }), null],
    ["a standby's own replay delay", snap("standby", { standby_status: ok("standby_status", [{ replay_delay_seconds: 12.5, replay_paused: false }]) }), 12.5],
    ["nothing sampled yet", undefined, null],
  ] as const)("%s", (_n, s, want) => {
    expect(replicationFigures(s).replicationLagSeconds).toBe(want);
  });

  it("gives the backup's age, none, the reason it cannot be read, or nothing before the first sample", () => {
    expect(replicationFigures(snap("primary", { backups: ok("backups", [{ last_ok_age_seconds: 3600, last_ok_finished_at: ts }]) })).backup).toEqual({ ageSeconds: 3600, unavailable: null });
    expect(replicationFigures(snap("primary", { backups: ok("backups", [{ last_ok_age_seconds: null, last_ok_finished_at: null }]) })).backup).toEqual({ ageSeconds: null, unavailable: null });
    const missing = replicationFigures(snap("primary", { backups: { status: "unavailable", metric: "backups", targetId: "t", ts, reason: "run npm run setup to install backup_log" } }));
    expect(missing.backup).toEqual({ ageSeconds: null, unavailable: "unavailable: run npm run setup to install backup_log" });
    expect(replicationFigures(snap("primary", {})).backup).toBeNull();
  });
});
