"use client";

import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Facts } from "@/components/ui/facts";
import { Value } from "@/components/ui/value";
import type { Standby } from "@/lib/api/replication";
import { formatSeconds } from "@/lib/format/duration";
import { formatAgo } from "@/lib/format/time";
import { Panel } from "./panel";
import { useReplicationPart } from "./use-replication-part";

// A primary's standbys (pg_stat_replication) with how far behind each is, in time and in bytes.
// A lag of 0 s with nothing behind is a caught-up standby of an idle primary; "—" is unknown.

const lag = (s: number | null) => <span className="tabular" title={s === null ? "unknown" : `${s} s`}>{formatSeconds(s)}</span>;

const COLUMNS: Column<Standby>[] = [
  { id: "name", header: "standby", width: "minmax(9rem, 1fr)", cell: (r) => <span className="font-mono text-xs">{r.applicationName}</span>, sort: (r) => r.applicationName },
  { id: "client", header: "client", width: "8rem", cell: (r) => <span className="font-mono text-xs">{r.clientAddr ?? "socket"}</span>, sort: (r) => r.clientAddr },
  {
    id: "state",
    header: "state",
    width: "9rem",
    cell: (r) => (
      <span className="flex gap-1">
        <Badge tone={r.state === "streaming" ? "good" : "warn"}>{r.state ?? "hidden"}</Badge>
        <Badge>{r.syncState ?? "?"}</Badge>
      </span>
    ),
    csv: (r) => `${r.state ?? ""} ${r.syncState ?? ""}`.trim(),
  },
  { id: "replayLag", header: "replay lag", width: "6rem", align: "right", cell: (r) => lag(r.replayLagSeconds), sort: (r) => r.replayLagSeconds },
  { id: "replayBytes", header: "replay behind", width: "7rem", align: "right", cell: (r) => <Value value={r.replayBytesBehind} kind="bytes" />, sort: (r) => r.replayBytesBehind },
  { id: "writeLag", header: "write lag", width: "6rem", align: "right", cell: (r) => lag(r.writeLagSeconds), sort: (r) => r.writeLagSeconds },
  { id: "flushLag", header: "flush lag", width: "6rem", align: "right", cell: (r) => lag(r.flushLagSeconds), sort: (r) => r.flushLagSeconds },
  { id: "flushBytes", header: "flush behind", width: "7rem", align: "right", cell: (r) => <Value value={r.flushBytesBehind} kind="bytes" />, sort: (r) => r.flushBytesBehind },
  { id: "sentLsn", header: "sent LSN", width: "8rem", cell: (r) => <span className="font-mono text-xs">{r.sentLsn ?? "—"}</span>, sort: (r) => r.sentLsn },
  { id: "replayLsn", header: "replay LSN", width: "8rem", cell: (r) => <span className="font-mono text-xs">{r.replayLsn ?? "—"}</span>, sort: (r) => r.replayLsn },
];

export function PanelStandbys({ targetId }: { targetId: string }) {
  const { res, data, state } = useReplicationPart(targetId, "standbys");
  return (
    <Panel
      testId="panel-standbys"
      title="Standbys"
      subtitle="streaming from this primary (pg_stat_replication); bytes behind pg_current_wal_lsn()"
      state={state}
      error={res.error}
      takenAt={data?.takenAt}
      unavailable={data?.unavailable}
    >
      {data && data.rows.length === 0 ? (
        <p data-testid="standbys-none" className="text-sm text-slate-600 dark:text-slate-300">
          No standby is connected to this primary.
        </p>
      ) : (
        <DataTable label="Standbys" rows={data?.rows ?? []} columns={COLUMNS} rowKey={(r) => `${r.applicationName}/${r.clientAddr}`} rowTestId={(r) => `standby-row-${r.applicationName}`} defaultSort={{ id: "replayLag", dir: "desc" }} csvName={`standbys-${targetId}`} maxHeight="24rem" />
      )}
    </Panel>
  );
}

/** A standby's own view: what it received and replayed, its WAL receiver and recovery conflicts. */
export function PanelStandbySide({ targetId }: { targetId: string }) {
  const { res, data, state, now } = useReplicationPart(targetId, "standby");
  const s = data?.status;
  const c = s?.conflicts;
  return (
    <Panel testId="panel-standby-side" title="This standby" subtitle="replay position and delay, WAL receiver, queries cancelled by recovery" state={state} error={res.error} takenAt={data?.takenAt} unavailable={data?.unavailable}>
      {s ? (
        <Facts
          testId="standby-facts"
          layout="wide"
          items={[
            { label: "replay delay", value: <span className="tabular">{formatSeconds(s.replayDelaySeconds)}</span>, id: "standby-replay-delay" },
            { label: "to replay", value: <Value value={s.replayBytesPending} kind="bytes" />, id: "standby-pending" },
            { label: "replay", value: s.replayPaused ? <Badge tone="warn">paused</Badge> : <Badge tone="good">running</Badge> },
            { label: "WAL receiver", value: <Badge tone={s.receiverStatus === "streaming" ? "good" : "warn"}>{s.receiverStatus ?? "not running"}</Badge> },
            { label: "sender", value: <span className="font-mono text-xs">{s.senderHost ? `${s.senderHost}:${s.senderPort ?? ""}` : "—"}</span> },
            { label: "last message", value: formatAgo(s.lastMsgReceiptAt, now) },
            { label: "received LSN", value: <span className="font-mono text-xs">{s.receiveLsn ?? "—"}</span> },
            { label: "replayed LSN", value: <span className="font-mono text-xs">{s.replayLsn ?? "—"}</span> },
            {
              label: "recovery conflicts (since reset)",
              value: c ? (
                <span className="tabular" title="snapshot, lock, bufferpin, deadlock, tablespace, logical slot">
                  {[c.snapshot, c.lock, c.bufferpin, c.deadlock, c.tablespace, c.activeLogicalSlot].reduce<number>((a, b) => a + (b ?? 0), 0)}
                </span>
              ) : "—",
            },
          ]}
        />
      ) : null}
    </Panel>
  );
}
