import "server-only";
import type { CounterSample } from "@/lib/analysis/counters";
import type { ReplicationResponse } from "@/lib/api/replication";
import type { TargetConfig } from "@/lib/config/schema";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { toReplication, type TargetIdentity } from "./replication";
import { archiverRow, backupRow, slotRow, standbyRow, standbyStatusRow, walRow } from "./replication-rows";
import { parseRows } from "./rows";
import { availability, currentRows, type Rows } from "./sources";

const METRICS = ["replication", "standby_status", "replication_slots", "wal", "archiver", "backups"] as const;

/** The WAL rate is averaged over this much history: a few samples at the wal metric's cadence. */
export const WAL_RATE_WINDOW_MS = 5 * 60_000;
/** Archived and failed segments are counted over an hour: the archiver retries once a minute. */
export const ARCHIVER_WINDOW_MS = 60 * 60_000;

function identity(rt: Runtime, t: TargetConfig): TargetIdentity {
  const caps = rt.snapshot(t.id)?.capabilities ?? null;
  return { id: t.id, name: t.name, role: caps?.role ?? null, systemIdentifier: caps?.systemIdentifier ?? null };
}

/** A counter's raw samples over [now − windowMs, now] from the store, oldest first. */
async function counterSamples(rt: Runtime, targetId: string, name: string, now: Date, windowMs: number): Promise<CounterSample[]> {
  const r = await rt.store.seriesRange(targetId, name, null, new Date(now.getTime() - windowMs), now, { resolution: "raw", now });
  // One series per name for these cluster-wide metrics (no labels).
  return (r.series[0]?.points ?? []).map((p) => ({ ts: p.lastTs.getTime(), value: p.lastValue }));
}

const sample = <S extends Parameters<typeof parseRows>[1]>(r: Rows | null, schema: S) => r && { ts: r.ts, rows: parseRows(r.rows, schema).rows };

/** Replication, slots, WAL, archiving and backups of one target, from the snapshot and the store. */
export async function replicationView(rt: Runtime, target: TargetConfig, now = new Date()): Promise<ReplicationResponse> {
  const [[standbys, standby, slots, wal, archiver, backups], unavailable, walPositions, archived, failed] = await Promise.all([
    Promise.all(METRICS.map((m) => currentRows(rt, target.id, m))),
    availability(rt, target.id, METRICS),
    counterSamples(rt, target.id, "wal.lsn_bytes", now, WAL_RATE_WINDOW_MS),
    counterSamples(rt, target.id, "archiver.archived_count", now, ARCHIVER_WINDOW_MS),
    counterSamples(rt, target.id, "archiver.failed_count", now, ARCHIVER_WINDOW_MS),
  ]);
  const source = (m: (typeof METRICS)[number]) => ({ cadenceMs: rt.cadenceMs(m), unavailable: unavailable[m] });
  return toReplication({
    self: identity(rt, target),
    roleCheckedAt: rt.snapshot(target.id)?.capabilities?.checkedAt ?? null,
    others: rt.targets.map((t) => identity(rt, t)),
    now,
    standbys: sample(standbys, standbyRow),
    standby: sample(standby, standbyStatusRow),
    slots: sample(slots, slotRow),
    wal: sample(wal, walRow),
    archiver: sample(archiver, archiverRow),
    backups: sample(backups, backupRow),
    walPositions,
    archived,
    failed,
    windows: { walMs: WAL_RATE_WINDOW_MS, archiverMs: ARCHIVER_WINDOW_MS },
    sources: {
      role: { cadenceMs: rt.cadenceMs("server"), unavailable: null },
      standbys: source("replication"),
      standby: source("standby_status"),
      slots: source("replication_slots"),
      wal: source("wal"),
      archiver: source("archiver"),
      backups: source("backups"),
    },
  });
}
