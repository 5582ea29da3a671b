"use client";

import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Time, Value } from "@/components/ui/value";
import type { TableNeed } from "@/lib/api/maintenance";
import { formatDuration } from "@/lib/format/duration";
import { formatPercent, formatXidAge } from "@/lib/format/number";
import { useMaintenancePartState } from "./maintenance-state";
import { Panel } from "./panel";
import { useMaintenance } from "./queries";
import { type CheckpointWindow } from "@/lib/api/urls";

// The tables most in need of VACUUM or ANALYZE, worst first, each with the statement a DBA
// would run. pgpulse only shows it: the copy button is the whole action.

const REASON: Record<TableNeed["reason"], string> = {
  dead_tuples: "many dead tuples",
  stale_vacuum: "dead tuples, long unvacuumed",
  modified_since_analyze: "changed since analyze",
  never_analyzed: "never analysed",
};

const name = (t: TableNeed) => `${t.schema}.${t.table}`;
const ago = (ms: number | null) => (ms === null ? "never" : `${formatDuration(ms)} ago`);

const tableColumn: Column<TableNeed> = {
  id: "table",
  header: "table",
  width: "minmax(9rem, 1.2fr)",
  wrap: true,
  cell: (t) => (
    <span className="flex min-w-0 flex-wrap items-center gap-1">
      <span className="font-mono text-xs break-all">{name(t)}</span>
      <Badge tone={t.reason === "dead_tuples" ? "warn" : "neutral"}>{REASON[t.reason]}</Badge>
    </span>
  ),
  sort: name,
  csv: name,
};
const copyColumn: Column<TableNeed> = {
  id: "copy",
  header: "statement",
  width: "5rem",
  cell: (t) => <CopyButton text={t.sql} label={`statement for ${name(t)}`} testId={`copy-${name(t)}`} />,
};
const sqlColumn: Column<TableNeed> = {
  id: "sql",
  header: "SQL to run yourself",
  width: "minmax(14rem, 1.5fr)",
  wrap: true,
  cell: (t) => (
    <code className="font-mono text-xs break-all select-all" data-testid="need-sql">
      {t.sql}
    </code>
  ),
  csv: (t) => t.sql,
};

const vacuumColumns: Column<TableNeed>[] = [
  tableColumn,
  copyColumn,
  {
    id: "dead",
    header: "dead tuples",
    width: "8rem",
    align: "right",
    cell: (t) => (
      <span>
        <Value value={t.deadTuples} kind="count" /> <span className="text-xs text-slate-500 dark:text-slate-400">({formatPercent(t.deadRatio === null ? null : t.deadRatio * 100)})</span>
      </span>
    ),
    sort: (t) => t.deadTuples,
  },
  { id: "live", header: "live tuples", width: "6rem", align: "right", cell: (t) => <Value value={t.liveTuples} kind="count" />, sort: (t) => t.liveTuples },
  { id: "vacuumed", header: "last vacuum", width: "8rem", cell: (t) => <Time iso={t.lastVacuumAt}>{ago(t.vacuumAgeMs)}</Time>, sort: (t) => t.vacuumAgeMs, csv: (t) => t.lastVacuumAt },
  { id: "xid", header: "xid age", width: "6rem", align: "right", title: "age(relfrozenxid)", cell: (t) => <span className="tabular">{formatXidAge(t.xidAge)}</span>, sort: (t) => t.xidAge },
  sqlColumn,
];

const analyzeColumns: Column<TableNeed>[] = [
  tableColumn,
  copyColumn,
  { id: "mods", header: "changed since analyze", width: "9rem", align: "right", cell: (t) => <Value value={t.modsSinceAnalyze} kind="count" />, sort: (t) => t.modsSinceAnalyze },
  { id: "live", header: "live tuples", width: "6rem", align: "right", cell: (t) => <Value value={t.liveTuples} kind="count" />, sort: (t) => t.liveTuples },
  { id: "analyzed", header: "last analyze", width: "8rem", cell: (t) => <Time iso={t.lastAnalyzeAt}>{ago(t.analyzeAgeMs)}</Time>, sort: (t) => t.analyzeAgeMs, csv: (t) => t.lastAnalyzeAt },
  sqlColumn,
];

export function PanelTableNeeds({ targetId, window, q }: { targetId: string; window: CheckpointWindow; q: string | null }) {
  const res = useMaintenance(targetId, window);
  const part = res.data?.tables;
  const { state } = useMaintenancePartState(res, part);
  const needle = q?.toLowerCase() ?? null;
  const keep = (t: TableNeed) => needle === null || name(t).toLowerCase().includes(needle);
  const list = (kind: "vacuum" | "analyze", columns: Column<TableNeed>[]) => {
    const rows = (part?.[kind] ?? []).filter(keep);
    return (
      <div data-testid={`needs-${kind}`}>
        <h3 className="mb-1 text-sm font-semibold">Need {kind === "vacuum" ? "VACUUM" : "ANALYZE"}</h3>
        {rows.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">{needle ? "No table matches the filter." : `No table needs ${kind === "vacuum" ? "a VACUUM" : "an ANALYZE"} by these rules.`}</p>
        ) : (
          <DataTable label={`Tables that need ${kind}`} rows={rows} columns={columns} rowKey={name} rowTestId={(t) => `${kind}-row-${name(t)}`} csvName={`needs-${kind}-${targetId}`} maxHeight="28rem" />
        )}
      </div>
    );
  };
  return (
    <Panel
      testId="panel-table-needs"
      title="Tables needing VACUUM or ANALYZE"
      subtitle="Worst first, at most 20 each. pgpulse never runs these statements: copy one and run it yourself."
      state={state}
      error={res.error}
      takenAt={part?.takenAt}
      unavailable={part?.unavailable}
    >
      <div className="space-y-4">
        {list("vacuum", vacuumColumns)}
        {list("analyze", analyzeColumns)}
      </div>
    </Panel>
  );
}
