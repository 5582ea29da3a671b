import "server-only";
import type { Checkpoints, MaintenanceResponse } from "@/lib/api/maintenance";
import { resolveRule } from "@/lib/alerts/rules";
import type { TargetConfig } from "@/lib/config/schema";
import { RANGE_MS } from "@/lib/limits";
import { chooseResolution, RESOLUTION_MS } from "@/lib/store/resolution";
import type { RangePoint } from "@/lib/store/types";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { toMaintenance } from "./maintenance";
import { CHECKPOINT_COUNTERS, CHECKPOINT_MARKER, toCheckpoints, type CheckpointField } from "./maintenance-checkpoints";
import { maintenanceTableRow, sequenceRow, vacuumRow, workersRow } from "./maintenance-rows";
import { parseRows } from "./rows";
import { availability, currentRows } from "./sources";
import { type CheckpointWindow } from "@/lib/api/urls";

const METRICS = ["vacuum_progress", "autovacuum_workers", "table_stats", "sequences", "checkpoints"] as const;

/**
 * vacuum_progress, autovacuum_workers, table_stats and sequences, from the snapshot or the store;
 * checkpoints as counter increases over `window`, from the store's samples.
 */
export async function maintenanceView(rt: Runtime, target: TargetConfig, window: CheckpointWindow, now = new Date()): Promise<MaintenanceResponse> {
  const [[vacuums, workers, tables, seqs], unavailable] = await Promise.all([
    Promise.all(METRICS.slice(0, 4).map((m) => currentRows(rt, target.id, m))),
    availability(rt, target.id, METRICS),
  ]);
  const source = (m: (typeof METRICS)[number]) => ({ cadenceMs: rt.cadenceMs(m), unavailable: unavailable[m] });
  return toMaintenance({
    targetId: target.id,
    now,
    vacuums: vacuums && { ts: vacuums.ts, rows: parseRows(vacuums.rows, vacuumRow).rows },
    workers: workers && { ts: workers.ts, rows: parseRows(workers.rows, workersRow).rows },
    tables: tables && { ts: tables.ts, rows: parseRows(tables.rows, maintenanceTableRow).rows },
    sequences: seqs && { ts: seqs.ts, rows: parseRows(seqs.rows, sequenceRow).rows },
    sources: {
      vacuums: source("vacuum_progress"),
      workers: source("autovacuum_workers"),
      tables: source("table_stats"),
      sequences: source("sequences"),
    },
    sequenceLines: seqLines(resolveRule("sequence_exhaustion", rt.config, target.id)),
    checkpoints: await checkpointsView(rt, target.id, window, now, source("checkpoints")),
  });
}

async function checkpointsView(
  rt: Runtime,
  targetId: string,
  window: CheckpointWindow,
  now: Date,
  source: { cadenceMs: number; unavailable: string | null },
): Promise<Checkpoints> {
  const from = new Date(now.getTime() - RANGE_MS[window]);
  const resolution = chooseResolution(from, now, now);
  // The sample (or bucket) before the window anchors the first increase inside it.
  const margin = Math.max(2 * RESOLUTION_MS[resolution], 2 * source.cadenceMs, 300_000);
  const read = async (name: string): Promise<RangePoint[]> =>
    (await rt.store.seriesRange(targetId, name, null, new Date(from.getTime() - margin), now, { resolution, now })).series[0]?.points ?? [];
  const fields = Object.keys(CHECKPOINT_COUNTERS) as CheckpointField[];
  const [marker, ...perField] = await Promise.all([read(CHECKPOINT_MARKER), ...fields.map((f) => read(`checkpoints.${CHECKPOINT_COUNTERS[f]}`))]);
  const points = Object.fromEntries(fields.map((f, i) => [f, perField[i]])) as Record<CheckpointField, RangePoint[]>;
  const latest = rt.snapshot(targetId)?.metrics.checkpoints;
  const newest = latest?.status === "ok" ? latest : null;
  const lastStored = points.timed.at(-1)?.lastTs ?? null;
  return toCheckpoints({
    window,
    fromMs: from.getTime(),
    toMs: now.getTime(),
    points,
    marker,
    takenAt: newest?.ts ?? lastStored,
    backendWritesMoved: newest ? (newest.rows[0] as { buffers_backend?: unknown } | undefined)?.buffers_backend === null : false,
    ...source,
  });
}

/** The sequence_exhaustion rule's lines as the target has them; a removed critical line is null. */
function seqLines(rule: { threshold: number; criticalThreshold: number | null }) {
  return { warnPercent: rule.threshold, criticalPercent: rule.criticalThreshold };
}
