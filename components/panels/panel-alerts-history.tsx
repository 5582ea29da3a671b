"use client";

import Link from "next/link";
import { BadgeSeverity, BadgeState } from "@/components/ui/badge";
import { CsvButton } from "@/components/ui/csv-button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { LINK } from "@/components/ui/palette";
import { Select, TextInput } from "@/components/ui/select";
import { Time } from "@/components/ui/value";
import type { Alert } from "@/lib/api/alerts";
import type { AlertsParams } from "@/lib/api/search-params";
import { formatDuration } from "@/lib/format/duration";
import { formatDateTime } from "@/lib/format/time";
import { Panel } from "./panel";
import { alertCsvColumns } from "./panel-alert-csv";
import { useAlerts } from "./queries";
import { usePanelState } from "./use-panel-state";
import { ALERT_STATES, formatAlertValue } from "@/lib/api/alert-view";

/** Every alert episode in the range, filtered by rule, target and state (all in the URL). */
export function PanelAlertsHistory({ params, set }: { params: AlertsParams; set: (p: Partial<AlertsParams>) => void }) {
  const q = useAlerts({ state: params.state.length ? params.state : undefined, target: params.target, rule: params.rule, range: params.range });
  const { state } = usePanelState(q, { everyMs: 5000 });
  const alerts = q.data?.alerts ?? [];
  const columns: Column<Alert>[] = [
    { id: "since", header: "started", width: "9rem", cell: (a) => <Time iso={a.since}>{formatDateTime(a.since)}</Time>, sort: (a) => a.since },
    { id: "severity", header: "severity", width: "6rem", cell: (a) => <BadgeSeverity severity={a.severity} />, sort: (a) => ({ critical: 0, warning: 1, info: 2 })[a.severity] },
    { id: "state", header: "state", width: "6rem", cell: (a) => <BadgeState state={a.state} />, sort: (a) => a.state },
    {
      id: "rule",
      header: "rule",
      width: "10rem",
      cell: (a) => (
        <Link href={`/alerts/${encodeURIComponent(a.id)}`} className={LINK}>
          {a.rule}
        </Link>
      ),
      sort: (a) => a.rule,
    },
    { id: "target", header: "target", width: "8rem", cell: (a) => a.target, sort: (a) => a.target },
    { id: "object", header: "object", width: "minmax(12rem, 1fr)", cell: (a) => <span className="font-mono text-xs" title={a.object}>{a.object}</span>, sort: (a) => a.object },
    { id: "value", header: "value / threshold", width: "10rem", cell: (a) => `${formatAlertValue(a.value, a.unit)} / ${formatAlertValue(a.threshold, a.unit)}`, sort: (a) => a.value },
    {
      id: "duration",
      header: "lasted",
      width: "7rem",
      align: "right",
      cell: (a) => (a.resolvedAt ? formatDuration(Date.parse(a.resolvedAt) - Date.parse(a.since)) : <span className="text-slate-500 dark:text-slate-400">ongoing</span>),
      sort: (a) => (a.resolvedAt ? Date.parse(a.resolvedAt) - Date.parse(a.since) : null),
    },
    { id: "ack", header: "acknowledged by", width: "9rem", cell: (a) => a.acknowledgedBy ?? <span className="text-slate-500 dark:text-slate-400">—</span>, sort: (a) => a.acknowledgedBy },
  ];
  const stateValue = params.state.length === 1 ? params.state[0] : params.state.length ? "custom" : "";
  return (
    <Panel testId="panel-alerts-history" title="History" subtitle={q.data?.truncated ? "showing the most recent alerts only; narrow the filters" : undefined} state={state} error={q.error}>
      <DataTable
        label="Alert history"
        rows={alerts}
        columns={columns}
        rowKey={(a) => a.id}
        rowTestId={(a) => `alert-history-row-${a.id}`}
        defaultSort={{ id: "since", dir: "desc" }}
        maxHeight="32rem"
        toolbar={
          <>
            <Select
              aria-label="State"
              value={stateValue}
              onChange={(e) => set({ state: e.target.value ? ALERT_STATES.filter((st) => st === e.target.value) : [] })}
            >
              <option value="">all states</option>
              {params.state.length > 1 ? <option value="custom">{params.state.join(", ")}</option> : null}
              {(["firing", "pending", "resolved"] as const).map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
            <TextInput placeholder="rule" aria-label="Rule" defaultValue={params.rule ?? ""} onChange={(e) => set({ rule: e.target.value.trim() || null })} className="w-36" />
            <TextInput placeholder="target" aria-label="Target" defaultValue={params.target ?? ""} onChange={(e) => set({ target: e.target.value.trim() || null })} className="w-32" />
            {/* The export's own columns: severity by name, value and threshold by unit. */}
            <CsvButton rows={alerts} columns={alertCsvColumns(alerts)} name="alerts-history" />
          </>
        }
      />
    </Panel>
  );
}
