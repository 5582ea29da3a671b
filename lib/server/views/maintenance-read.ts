import "server-only";
import type { MaintenanceResponse } from "@/lib/api/maintenance";
import type { TargetConfig } from "@/lib/config/schema";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { toMaintenance } from "./maintenance";
import { maintenanceTableRow, sequenceRow, vacuumRow, workersRow } from "./maintenance-rows";
import { parseRows } from "./rows";
import { availability, currentRows } from "./sources";

const METRICS = ["vacuum_progress", "autovacuum_workers", "table_stats", "sequences"] as const;

/** vacuum_progress, autovacuum_workers, table_stats and sequences, from the snapshot or the store. */
export async function maintenanceView(rt: Runtime, target: TargetConfig, now = new Date()): Promise<MaintenanceResponse> {
  const [[vacuums, workers, tables, seqs], unavailable] = await Promise.all([
    Promise.all(METRICS.map((m) => currentRows(rt, target.id, m))),
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
  });
}
