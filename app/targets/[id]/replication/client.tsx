"use client";

import { PageHeader } from "@/components/layout/page-header";
import { PanelArchiver, PanelBackup, PanelWal } from "@/components/panels/panel-archiving";
import { PanelChart } from "@/components/panels/panel-chart";
import { useAnsweredOnce } from "@/components/panels/use-answered-once";
import { PanelSlots } from "@/components/panels/panel-slots";
import { PanelStandbySide, PanelStandbys } from "@/components/panels/panel-standbys";
import { useReplication } from "@/components/panels/queries";
import { useRuleLine } from "@/components/panels/rule-line";
import { ReplicationRole } from "@/components/panels/replication-role";
import { RangePicker } from "@/components/ui/range-picker";
import { useUrlState } from "@/components/ui/use-url-state";
import { parseReplicationParams, serializeReplicationParams, type ReplicationParams } from "@/lib/api/search-params";
import { HISTORY_RANGES, RANGE_MS } from "@/lib/limits";

export function ReplicationClient({ targetId, initial }: { targetId: string; initial: ReplicationParams }) {
  const [p, set] = useUrlState(initial, parseReplicationParams, serializeReplicationParams);
  const replication = useReplication(targetId);
  const rep = replication.data;
  // Which panels the page has depends on the server's role, known from the first answer: they
  // show together once it is in, rather than appearing and vanishing under the header.
  const settled = useAnsweredOnce([replication]);
  // The replication_lag rule's line for this target, drawn on the lag charts.
  const lagSeconds = useRuleLine("replication_lag", targetId);
  const lagRef = lagSeconds === null ? [] : [{ y: lagSeconds, label: `${lagSeconds} s`, kind: "limit" as const }];
  const role = rep?.role.role ?? null;
  const rangeMs = RANGE_MS[p.range];
  // One line per standby connected now; before the first answer (or with none) the worst of all.
  const standbys = [...new Set((rep?.standbys.rows ?? []).map((s) => s.applicationName))];
  const lines = <M extends "replay_lag_seconds" | "replay_bytes_behind">(metric: M) =>
    standbys.length ? standbys.map((standby) => ({ metric, standby, label: standby })) : [{ metric, label: "worst standby" }];
  const noStandby = "No standby streamed from this primary in this range.";
  return (
    <div className="space-y-4">
      <PageHeader
        title={`Replication & WAL · ${targetId}`}
        subtitle={<ReplicationRole targetId={targetId} />}
        actions={<RangePicker options={HISTORY_RANGES} value={p.range} onChange={(range) => set({ range })} label="Chart range" />}
      />
      <div className="space-y-4" hidden={!settled}>
        {role !== "standby" ? <PanelStandbys targetId={targetId} /> : null}
        {role !== "primary" ? <PanelStandbySide targetId={targetId} /> : null}
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          {role === "standby" ? (
            <PanelChart targetId={targetId} rangeMs={rangeMs} testId="chart-replay-delay" title="Replay delay" subtitle="now() − the last replayed commit; 0 when nothing is left to replay" metrics={[{ metric: "standby_replay_delay_seconds", label: "replay delay" }]} references={lagRef} />
          ) : (
            <>
              <PanelChart targetId={targetId} rangeMs={rangeMs} testId="chart-replay-lag" title="Replay lag" subtitle="as each standby reports it; no point while an idle primary gives nothing to time" metrics={lines("replay_lag_seconds")} references={lagRef} empty={noStandby} />
              <PanelChart targetId={targetId} rangeMs={rangeMs} testId="chart-replay-bytes" title="Replay bytes behind" subtitle="pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)" metrics={lines("replay_bytes_behind")} empty={noStandby} />
            </>
          )}
          <PanelChart targetId={targetId} rangeMs={rangeMs} testId="chart-wal-rate" title="WAL written" subtitle="bytes per second from WAL position deltas; a reset is a gap" metrics={[{ metric: "wal_bytes_per_second", label: "WAL" }]} kind="area" />
        </div>
        <PanelSlots targetId={targetId} />
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
          <PanelWal targetId={targetId} />
          <PanelArchiver targetId={targetId} />
          <PanelBackup targetId={targetId} />
        </div>
      </div>
    </div>
  );
}
