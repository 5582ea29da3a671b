import { describe, expect, it } from "vitest";
import { renderMetrics } from "./prometheus";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { createSelfMetrics } from "@/lib/server/wiring/self-metrics";

const ts = new Date("2026-11-26T10:00:00Z");

function runtimeWith(up: boolean): Runtime {
  const snapshot = {
    targetId: "kundli",
    up,
    downSince: null,
    lastError: null,
    lastSampleAt: ts,
    capabilities: null,
    metrics: {
      db_stats: {
        status: "ok" as const,
        metric: "db_stats",
        targetId: "kundli",
        ts,
        durationMs: 1,
        rows: [{ datname: "kundli_db", xact_commit: 1234, xact_rollback: 5, blks_read: 10, blks_hit: 990, numbackends: 7, stats_reset_epoch: null }],
      },
      table_stats: { status: "ok" as const, metric: "table_stats", targetId: "kundli", ts, durationMs: 1, rows: [{ relname: "secret_table" }] },
      replication: {
        status: "ok" as const,
        metric: "replication",
        targetId: "kundli",
        ts,
        durationMs: 1,
        rows: [
          { application_name: "replica1", client_addr: "10.0.0.2", state: "streaming", sync_state: "async", sent_lsn: "0/3000060", write_lsn: "0/3000060", flush_lsn: "0/3000060", replay_lsn: "0/3000000",
            write_lag_seconds: 0.002, flush_lag_seconds: 0.003, replay_lag_seconds: 75.5, sent_bytes_behind: 0, write_bytes_behind: 0, flush_bytes_behind: 0, replay_bytes_behind: 96 },
          // Caught up on an idle primary: the lags are null (nothing to time), never 0.
          { application_name: "replica2", client_addr: null, state: "streaming", sync_state: "async", sent_lsn: "0/3000060", write_lsn: "0/3000060", flush_lsn: "0/3000060", replay_lsn: "0/3000060",
            write_lag_seconds: null, flush_lag_seconds: null, replay_lag_seconds: null, sent_bytes_behind: 0, write_bytes_behind: 0, flush_bytes_behind: 0, replay_bytes_behind: 0 },
        ],
      },
    },
  };
  return {
    targets: [
      { id: "kundli", name: "Kundli", url: "postgres://u:pw@h/db" },
      { id: "elsewhere", name: "Held by another instance", url: "postgres://u:pw@h/other" },
    ],
    snapshot: (id: string) => (id === "kundli" ? snapshot : undefined),
    store: { status: () => ({ reachable: false, buffered: 3, dropped: 2, bufferedEvents: 0, rejectedBatches: 0 }) },
    collectors: new Map([["kundli", {}]]),
    leases: null,
    selfMetrics: createSelfMetrics(),
  } as unknown as Runtime;
}

describe("renderMetrics", () => {
  it("exposes counters raw with _total, gauges as they are, and the up flag", async () => {
    const { body } = await renderMetrics(runtimeWith(true));
    expect(body).toContain('pgpulse_target_up{target="kundli"} 1');
    expect(body).toContain('pgpulse_db_stats_xact_commit_total{target="kundli",datname="kundli_db"} 1234');
    expect(body).toContain("# TYPE pgpulse_db_stats_xact_commit_total counter");
    expect(body).toContain("# TYPE pgpulse_db_stats_numbackends gauge");
    expect(body).toContain("pgpulse_store_dropped_samples_total 2");
    expect(body).toContain('pgpulse_db_stats_numbackends{target="kundli",datname="kundli_db"} 7');
    expect(body).toContain("pgpulse_store_buffered_samples 3");
  });

  it("exposes each standby's lag, labelled by application name and client, with no LSN text", async () => {
    const { body } = await renderMetrics(runtimeWith(true));
    expect(body).toContain('pgpulse_replication_replay_lag_seconds{target="kundli",application_name="replica1",client_addr="10.0.0.2"} 75.5');
    expect(body).toContain('pgpulse_replication_replay_bytes_behind{target="kundli",application_name="replica1",client_addr="10.0.0.2"} 96');
    expect(body).toContain('pgpulse_replication_replay_bytes_behind{target="kundli",application_name="replica2",client_addr=""} 0');
    expect(body).not.toMatch(/pgpulse_replication_replay_lag_seconds\{[^}]*replica2/);
    expect(body).not.toContain("0/3000060");
  });

  it("leaves out unknown values and high-cardinality metrics, and never a URL", async () => {
    const { body } = await renderMetrics(runtimeWith(false));
    expect(body).toContain('pgpulse_target_up{target="kundli"} 0');
    expect(body).not.toContain("stats_reset_epoch{");
    expect(body).not.toContain("secret_table");
    expect(body).not.toContain("postgres://");
    // A target another instance holds is exposed by that instance, not as down here.
    expect(body).not.toContain('target="elsewhere"');
    // No outbox figure while the store is unreachable: absent, not zero.
    expect(body).not.toContain("pgpulse_outbox_pending");
  });
});
