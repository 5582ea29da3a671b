"use client";

import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Value } from "@/components/ui/value";
import type { RunningVacuum } from "@/lib/api/maintenance";
import { formatPercent } from "@/lib/format/number";
import { useMaintenancePartState } from "./maintenance-state";
import { Panel } from "./panel";
import { useMaintenance } from "./queries";
import { type CheckpointWindow } from "@/lib/api/urls";

// Vacuums running now (pg_stat_progress_vacuum), manual or autovacuum, longest first: how far
// through the heap each is and in which phase. A vacuum run to prevent wraparound cannot be
// cancelled usefully (autovacuum starts it again), so it is marked.

const columns: Column<RunningVacuum>[] = [
  {
    id: "relation",
    header: "table",
    width: "minmax(9rem, 11rem)",
    wrap: true,
    cell: (v) => (
      <span className="flex min-w-0 flex-wrap items-center gap-1">
        <span className="font-mono text-xs break-all">{v.relation ?? `(in ${v.datname ?? "another database"})`}</span>
        {v.isAutovacuum ? <Badge tone="info">autovacuum</Badge> : <Badge>manual</Badge>}
        {v.toPreventWraparound ? <Badge tone="warn">to prevent wraparound</Badge> : null}
      </span>
    ),
    sort: (v) => v.relation,
  },
  {
    id: "progress",
    header: "heap scanned · phase",
    width: "10rem",
    wrap: true,
    cell: (v) => (
      <div className="py-1">
        <ProgressBar percent={v.progress === null ? null : v.progress * 100} label={`${v.relation ?? "vacuum"}: heap scanned`} />
        <div className="mt-0.5 text-xs">
          <span className="tabular">{formatPercent(v.progress === null ? null : v.progress * 100)}</span> · <span data-testid="vacuum-phase">{v.phase ?? "unknown phase"}</span>
        </div>
      </div>
    ),
    sort: (v) => v.progress,
    csv: (v) => v.progress,
  },
  {
    id: "blocks",
    header: "blocks scanned / total",
    width: "10rem",
    align: "right",
    cell: (v) => (
      <span>
        <Value value={v.heapBlksScanned} kind="count" /> / <Value value={v.heapBlksTotal} kind="count" />
      </span>
    ),
    sort: (v) => v.heapBlksTotal,
    csv: (v) => `${v.heapBlksScanned ?? ""}/${v.heapBlksTotal ?? ""}`,
  },
  {
    id: "indexes",
    header: "index passes",
    width: "7rem",
    align: "right",
    title: "Index vacuum passes; indexes processed / total on PostgreSQL 17+",
    cell: (v) => (
      <span>
        <Value value={v.indexVacuumCount} kind="count" />
        {v.indexesTotal !== null ? (
          <span className="text-xs text-slate-500 dark:text-slate-400">
            {" "}
            ({v.indexesProcessed ?? "?"}/{v.indexesTotal})
          </span>
        ) : null}
      </span>
    ),
    sort: (v) => v.indexVacuumCount,
  },
  { id: "running", header: "running for", width: "7rem", align: "right", cell: (v) => <Value value={v.runningMs} kind="ms" />, sort: (v) => v.runningMs },
  { id: "pid", header: "pid", width: "5rem", align: "right", cell: (v) => <span className="tabular">{v.pid}</span>, sort: (v) => v.pid },
];

export function PanelVacuums({ targetId, window }: { targetId: string; window: CheckpointWindow }) {
  const res = useMaintenance(targetId, window);
  const part = res.data?.vacuums;
  const { state } = useMaintenancePartState(res, part);
  return (
    <Panel testId="panel-vacuums" title="Vacuums running" subtitle="pg_stat_progress_vacuum, longest first" state={state} error={res.error} takenAt={part?.takenAt} unavailable={part?.unavailable}>
      {part && part.rows.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400" data-testid="no-vacuum">
          No vacuum is running.
        </p>
      ) : (
        <DataTable label="Vacuums running" rows={part?.rows ?? []} columns={columns} rowKey={(v) => String(v.pid)} rowTestId={(v) => `vacuum-row-${v.relation ?? v.pid}`} defaultSort={{ id: "running", dir: "desc" }} csvName={`vacuums-${targetId}`} maxHeight="24rem" />
      )}
    </Panel>
  );
}
