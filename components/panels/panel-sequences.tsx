"use client";

import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { DataTable, type Column } from "@/components/ui/data-table";
import { TONE_NOTE, TONE_TEXT } from "@/components/ui/palette";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { MaintenanceResponse, SequenceUsage } from "@/lib/api/maintenance";
import { formatPercent } from "@/lib/format/number";
import { useMaintenancePartState } from "./maintenance-state";
import { Panel } from "./panel";
import { useMaintenance } from "./queries";
import { type CheckpointWindow } from "@/lib/api/urls";

// Every sequence against the first limit it will hit: its own maximum, or the type of the column
// it feeds (a bigint sequence feeding an integer column fails at 2^31 − 1). Coloured by the
// sequence_exhaustion rule's lines for this target.

type Lines = Pick<MaintenanceResponse["sequences"], "warnPercent" | "criticalPercent">;
const name = (s: SequenceUsage) => `${s.schema}.${s.sequence}`;
const NOT_READ: Record<NonNullable<SequenceUsage["lastValueUnavailable"]>, string> = {
  no_privilege: "not readable by the monitoring role",
  never_called: "never called",
};

function tone(pct: number | null, lines: Lines): "info" | "warn" | "bad" {
  if (pct !== null && lines.criticalPercent !== null && pct > lines.criticalPercent) return "bad";
  if (pct !== null && pct > lines.warnPercent) return "warn";
  return "info";
}

function columnsFor(lines: Lines): Column<SequenceUsage>[] {
  return [
    {
      id: "sequence",
      header: "sequence · feeds",
      width: "minmax(10rem, 13rem)",
      wrap: true,
      cell: (s) => (
        <div className="min-w-0">
          <span className="font-mono text-xs break-all">{name(s)}</span> {s.cycle ? <Badge tone="info">cycle</Badge> : null}
          <div className="text-xs text-slate-500 dark:text-slate-400" data-testid="sequence-column">
            {s.column ? (
              <>
                {s.column} <span className={cx(s.columnType !== s.dataType && "font-semibold", s.columnType !== s.dataType && TONE_TEXT.warn)}>({s.columnType})</span>
              </>
            ) : (
              "no owning column"
            )}
          </div>
        </div>
      ),
      sort: name,
      csv: name,
    },
    {
      id: "used",
      header: "% used",
      width: "8rem",
      // "not readable by the monitoring role" wraps rather than being cut.
      wrap: true,
      cell: (s) => (
        <div className="py-1">
          <ProgressBar percent={s.percentUsed} label={`${name(s)} used`} tone={tone(s.percentUsed, lines)} />
          <div className={cx("text-xs tabular", tone(s.percentUsed, lines) !== "info" && cx("font-semibold", TONE_TEXT[tone(s.percentUsed, lines)]))} data-testid="sequence-percent">
            {s.lastValueUnavailable ? NOT_READ[s.lastValueUnavailable] : formatPercent(s.percentUsed, 2)}
          </div>
        </div>
      ),
      sort: (s) => s.percentUsed,
    },
    {
      id: "values",
      header: "last value / limit",
      width: "minmax(12rem, 1fr)",
      wrap: true,
      cell: (s) => (
        <span className="font-mono text-xs break-all" data-testid="sequence-values">
          {s.lastValue ?? "—"} / {s.limitValue}
        </span>
      ),
      csv: (s) => `${s.lastValue ?? ""}/${s.limitValue}`,
    },
    { id: "type", header: "sequence type", width: "7rem", cell: (s) => <span className="font-mono text-xs">{s.dataType}</span>, sort: (s) => s.dataType },
    { id: "columnType", header: "column type", width: "7rem", cell: (s) => <span className="font-mono text-xs">{s.columnType ?? "—"}</span>, sort: (s) => s.columnType },
  ];
}

export function PanelSequences({ targetId, window, q }: { targetId: string; window: CheckpointWindow; q: string | null }) {
  const res = useMaintenance(targetId, window);
  const part = res.data?.sequences;
  const { state } = useMaintenancePartState(res, part);
  const needle = q?.toLowerCase() ?? null;
  const rows = (part?.rows ?? []).filter((s) => needle === null || name(s).toLowerCase().includes(needle) || (s.column ?? "").toLowerCase().includes(needle));
  return (
    <Panel
      testId="panel-sequences"
      title="Sequences"
      subtitle={part ? `Share of the range used, against the sequence's own limit or its column's type · warning over ${part.warnPercent} %${part.criticalPercent === null ? "" : `, critical over ${part.criticalPercent} %`}` : undefined}
      state={state}
      error={res.error}
      takenAt={part?.takenAt}
      unavailable={part?.unavailable}
    >
      {part?.grantHint ? <p className={cx("mb-2 rounded px-2 py-1 text-xs", TONE_NOTE.info)}>{part.grantHint}</p> : null}
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{needle ? "No sequence matches the filter." : "No sequence in this database."}</p>
      ) : (
        <DataTable label="Sequences" rows={rows} columns={columnsFor(part!)} rowKey={name} rowTestId={(s) => `sequence-row-${name(s)}`} defaultSort={{ id: "used", dir: "desc" }} csvName={`sequences-${targetId}`} maxHeight="28rem" />
      )}
    </Panel>
  );
}
