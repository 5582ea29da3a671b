import { describe, expect, it } from "vitest";
import { replicationLinks, toReplication, type ReplicationInput, type TargetIdentity } from "./replication";

const at = (iso: string) => new Date(iso);
const NOW = at("2026-03-01T12:00:00Z");
const src = { cadenceMs: 15_000, unavailable: null };

function input(over: Partial<ReplicationInput> = {}): ReplicationInput {
  return {
    self: { id: "p", name: "primary", role: "primary", systemIdentifier: "42" },
    roleCheckedAt: at("2026-03-01T11:59:30Z"),
    others: [],
    now: NOW,
    standbys: null,
    standby: null,
    slots: null,
    wal: null,
    archiver: null,
    backups: null,
    walPositions: [],
    archived: [],
    failed: [],
    windows: { walMs: 300_000, archiverMs: 3_600_000 },
    sources: { role: src, standbys: src, standby: src, slots: src, wal: src, archiver: src, backups: src },
    ...over,
  };
}

const id = (o: Partial<TargetIdentity> & { id: string }): TargetIdentity => ({ name: o.id, role: "standby", systemIdentifier: "42", ...o });

describe("replicationLinks", () => {
  it.each([
    ["a primary links to its standbys only", id({ id: "p", role: "primary" }), [id({ id: "s1" }), id({ id: "s2" }), id({ id: "other", systemIdentifier: "7" })], ["s1", "s2"]],
    ["a standby links to its primary, not to its sibling", id({ id: "s1" }), [id({ id: "p", role: "primary" }), id({ id: "s2" })], ["p"]],
    ["a target not probed yet links to nothing", id({ id: "p", role: null, systemIdentifier: null }), [id({ id: "s1" })], []],
    ["another cluster with another identifier is not linked", id({ id: "p", role: "primary" }), [id({ id: "x", systemIdentifier: "43" })], []],
    ["an unprobed other is not linked", id({ id: "p", role: "primary" }), [id({ id: "s1", role: null, systemIdentifier: null })], []],
  ] as const)("%s", (_n, self, others, want) => {
    expect(replicationLinks(self, others).map((l) => l.targetId)).toEqual(want);
  });
});

describe("toReplication", () => {
  it("reads a caught-up standby of an idle primary as 0 s behind, and an unknown lag as unknown", () => {
    const row = (name: string, lag: number | null, bytes: number | null) => ({
      application_name: name, client_addr: "10.0.0.2", state: "streaming", sync_state: "async",
      sent_lsn: "0/3000000", write_lsn: "0/3000000", flush_lsn: "0/3000000", replay_lsn: "0/3000000",
      write_lag_seconds: null, flush_lag_seconds: null, replay_lag_seconds: lag,
      sent_bytes_behind: bytes, write_bytes_behind: bytes, flush_bytes_behind: bytes, replay_bytes_behind: bytes,
    });
    const out = toReplication(input({ standbys: { ts: NOW, rows: [row("idle", null, 0), row("starting", null, null), row("busy", 12.5, 4096)] } }));
    expect(out.standbys.rows.map((r) => [r.applicationName, r.replayLagSeconds])).toEqual([["idle", 0], ["starting", null], ["busy", 12.5]]);
  });

  it("gives the WAL rate from position deltas, null after a reset only", () => {
    const ok = toReplication(input({ walPositions: [{ ts: 0, value: 0 }, { ts: 15_000, value: 30_000 }] }));
    expect(ok.wal.bytesPerSecond).toBe(2000);
    const reset = toReplication(input({ walPositions: [{ ts: 0, value: 90_000 }, { ts: 15_000, value: 30_000 }] }));
    expect(reset.wal.bytesPerSecond).toBeNull();
    expect(toReplication(input()).wal.bytesPerSecond).toBeNull();
  });

  it("counts archiving over the window and says failing when the last failure is newer than the last success", () => {
    const row = {
      archived_count: 12, failed_count: 3, last_archived_wal: "000000010000000000000010", last_archived_time: "2026-03-01T11:50:00.000Z",
      last_failed_wal: "000000010000000000000011", last_failed_time: "2026-03-01T11:55:00.000Z",
      archive_mode: "on", archive_command_set: true, archive_library_set: false,
    };
    const out = toReplication(input({
      archiver: { ts: NOW, rows: [row] },
      archived: [{ ts: 0, value: 10 }, { ts: 60_000, value: 12 }],
      failed: [{ ts: 0, value: 1 }, { ts: 60_000, value: 3 }],
    }));
    expect(out.archiver).toMatchObject({ configured: true, archivedInWindow: 2, failedInWindow: 2, lastArchivedAgeSeconds: 600, failing: true });
    const recovered = toReplication(input({ archiver: { ts: NOW, rows: [{ ...row, last_archived_time: "2026-03-01T11:58:00.000Z" }] } }));
    expect(recovered.archiver).toMatchObject({ failing: false, archivedInWindow: null });
  });

  it("carries the backup's age, measured by the target at the sample, forward to now", () => {
    const out = toReplication(input({
      backups: {
        ts: at("2026-03-01T11:59:00Z"),
        rows: [{ last_ok_label: "nightly", last_ok_finished_at: "2026-03-01T02:00:00.000Z", last_ok_age_seconds: 35_940, last_ok_size_bytes: 1e9, last_ok_tool: "pgbackrest", last_label: "nightly", last_finished_at: "2026-03-01T02:00:00.000Z", last_ok: true }],
      },
    }));
    expect(out.backup.lastOk).toMatchObject({ label: "nightly", ageSeconds: 36_000, tool: "pgbackrest" });
    expect(out.backup.source).toBe("backup_log");
  });

  it("has no backup when the log holds no successful run, and says so rather than 0", () => {
    const out = toReplication(input({
      backups: { ts: NOW, rows: [{ last_ok_label: null, last_ok_finished_at: null, last_ok_age_seconds: null, last_ok_size_bytes: null, last_ok_tool: null, last_label: "x", last_finished_at: "2026-03-01T02:00:00.000Z", last_ok: false }] },
    }));
    expect(out.backup.lastOk).toBeNull();
    expect(out.backup.lastRun).toMatchObject({ ok: false });
  });

  it("orders slots by the WAL they retain, unknown last", () => {
    const slot = (name: string, retained: number | null) => ({ slot_name: name, slot_type: "physical" as const, plugin: null, database: null, temporary: false, active: false, retained_bytes: retained, wal_status: retained === null ? null : "reserved", safe_wal_size: null, inactive_since: null });
    const out = toReplication(input({ slots: { ts: NOW, rows: [slot("a", null), slot("b", 10), slot("c", 5000)] } }));
    expect(out.slots.rows.map((s) => s.name)).toEqual(["c", "b", "a"]);
  });
});
