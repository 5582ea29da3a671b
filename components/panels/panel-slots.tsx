"use client";

import { Badge } from "@/components/ui/badge";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Value } from "@/components/ui/value";
import type { Slot } from "@/lib/api/replication";
import { formatAgo } from "@/lib/format/time";
import { Panel } from "./panel";
import { useReplicationPart } from "./use-replication-part";

// Replication slots and the WAL each keeps on disk. An inactive slot holding WAL is the classic
// full disk; "unreserved" and "lost" mean max_slot_wal_keep_size is about to drop, or dropped,
// what its consumer needs.

const WAL_TONE: Record<string, "good" | "warn" | "bad"> = { reserved: "good", extended: "warn", unreserved: "bad", lost: "bad" };

export function PanelSlots({ targetId }: { targetId: string }) {
  const { res, data, state, now } = useReplicationPart(targetId, "slots");
  const columns: Column<Slot>[] = [
    { id: "name", header: "slot", width: "minmax(10rem, 1fr)", cell: (r) => <span className="font-mono text-xs">{r.name}</span>, sort: (r) => r.name },
    { id: "type", header: "type", width: "6rem", cell: (r) => <span className="text-xs">{r.type}{r.plugin ? ` · ${r.plugin}` : ""}</span>, sort: (r) => r.type, csv: (r) => (r.plugin ? `${r.type} ${r.plugin}` : r.type) },
    { id: "active", header: "active", width: "8rem", cell: (r) => (r.active ? <Badge tone="good">active</Badge> : <Badge tone="warn">inactive{r.temporary ? " · temp" : ""}</Badge>), sort: (r) => r.active },
    { id: "retained", header: "WAL retained", width: "7rem", align: "right", cell: (r) => <Value value={r.retainedBytes} kind="bytes" />, sort: (r) => r.retainedBytes },
    { id: "walStatus", header: "wal_status", width: "7rem", cell: (r) => (r.walStatus ? <Badge tone={WAL_TONE[r.walStatus] ?? "neutral"}>{r.walStatus}</Badge> : <span className="text-slate-500 dark:text-slate-400">—</span>), sort: (r) => r.walStatus },
    { id: "safe", header: "safe to write", width: "7rem", align: "right", title: "safe_wal_size: WAL that can still be written before the slot is at risk", cell: (r) => <Value value={r.safeWalSizeBytes} kind="bytes" />, sort: (r) => r.safeWalSizeBytes },
    { id: "database", header: "database", width: "7rem", cell: (r) => <span className="font-mono text-xs">{r.database ?? "—"}</span>, sort: (r) => r.database },
    { id: "inactiveSince", header: "inactive since", width: "8rem", cell: (r) => <span className="text-xs">{r.inactiveSince ? formatAgo(r.inactiveSince, now) : "—"}</span>, sort: (r) => r.inactiveSince },
  ];
  return (
    <Panel testId="panel-slots" title="Replication slots" subtitle="WAL each slot keeps: pg_wal_lsn_diff(current, restart_lsn)" state={state} error={res.error} takenAt={data?.takenAt} unavailable={data?.unavailable}>
      {data && data.rows.length === 0 ? (
        <p data-testid="slots-none" className="text-sm text-slate-600 dark:text-slate-300">
          No replication slot on this server.
        </p>
      ) : (
        <DataTable label="Replication slots" rows={data?.rows ?? []} columns={columns} rowKey={(r) => r.name} rowTestId={(r) => `slot-row-${r.name}`} defaultSort={{ id: "retained", dir: "desc" }} csvName={`slots-${targetId}`} maxHeight="24rem" />
      )}
    </Panel>
  );
}
