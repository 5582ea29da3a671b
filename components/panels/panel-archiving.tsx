"use client";

import { Badge } from "@/components/ui/badge";
import { Facts } from "@/components/ui/facts";
import { Value } from "@/components/ui/value";
import { formatBytes } from "@/lib/format/bytes";
import { formatSeconds } from "@/lib/format/duration";
import { formatAgo } from "@/lib/format/time";
import { Panel } from "./panel";
import { useReplicationPart } from "./use-replication-part";

// The WAL written per second and the settings bounding pg_wal; WAL archiving; the newest backup.

const windowText = (ms: number) => `${Math.round(ms / 60_000)} min`;

export function PanelWal({ targetId }: { targetId: string }) {
  const { res, data, state } = useReplicationPart(targetId, "wal");
  return (
    <Panel testId="panel-wal" title="WAL" subtitle={data ? `rate from position deltas over the last ${windowText(data.windowMs)}` : undefined} state={state} error={res.error} takenAt={data?.takenAt} unavailable={data?.unavailable}>
      {data ? (
        <Facts
          items={[
            { label: "written", value: data.bytesPerSecond === null ? <span className="text-slate-500 dark:text-slate-400" title="fewer than two samples since start or a reset">—</span> : `${formatBytes(data.bytesPerSecond)}/s`, id: "wal-rate" },
            { label: "max_wal_size", value: <Value value={data.maxWalSizeBytes} kind="bytes" />, id: "wal-max-size" },
            { label: "wal_keep_size", value: <Value value={data.walKeepSizeBytes} kind="bytes" /> },
          ]}
        />
      ) : null}
    </Panel>
  );
}

export function PanelArchiver({ targetId }: { targetId: string }) {
  const { res, data, state, now } = useReplicationPart(targetId, "archiver");
  const a = data;
  return (
    <Panel testId="panel-archiver" title="WAL archiving" subtitle={a ? `pg_stat_archiver; counts over the last ${windowText(a.windowMs)}` : undefined} state={state} error={res.error} takenAt={a?.takenAt} unavailable={a?.unavailable}>
      {a ? (
        <Facts
          testId="archiver-facts"
          items={[
            {
              label: "status",
              id: "archiver-status",
              value:
                a.archiveMode === "off" || a.configured === false ? (
                  <Badge tone="muted">not configured{a.archiveMode ? ` (archive_mode ${a.archiveMode})` : ""}</Badge>
                ) : a.failing ? (
                  <Badge tone="bad">failing</Badge>
                ) : (
                  <Badge tone="good">archiving</Badge>
                ),
            },
            { label: "archived", value: <Value value={a.archivedInWindow} kind="count" /> },
            { label: "failed", value: <Value value={a.failedInWindow} kind="count" className={a.failedInWindow ? "text-red-700 dark:text-red-300" : undefined} /> },
            { label: "last archived", value: <span className="font-mono text-xs">{a.lastArchivedWal ?? "—"}</span> },
            { label: "last archived age", value: formatSeconds(a.lastArchivedAgeSeconds) },
            { label: "last failure", value: a.lastFailedAt ? `${a.lastFailedWal ?? "?"} · ${formatAgo(a.lastFailedAt, now)}` : "—" },
          ]}
        />
      ) : null}
    </Panel>
  );
}

export function PanelBackup({ targetId }: { targetId: string }) {
  const { res, data, state, now } = useReplicationPart(targetId, "backup");
  const ok = data?.lastOk;
  const run = data?.lastRun;
  return (
    <Panel testId="panel-backup" title="Backups" subtitle="from backup_log, written by the backup job" state={state} error={res.error} takenAt={data?.takenAt} unavailable={data?.unavailable}>
      {data ? (
        ok ? (
          <Facts
            items={[
              { label: "newest good backup", value: <span className="tabular">{formatSeconds(ok.ageSeconds)} old</span>, id: "backup-age" },
              { label: "label", value: ok.label ?? "—" },
              { label: "tool", value: ok.tool ?? "—" },
              { label: "size", value: <Value value={ok.sizeBytes} kind="bytes" /> },
              { label: "newest run", value: run ? <>{run.ok ? <Badge tone="good">ok</Badge> : <Badge tone="bad">failed</Badge>} {formatAgo(run.finishedAt, now)}</> : "—" },
              { label: "source", value: data.source },
            ]}
          />
        ) : (
          <p data-testid="backup-none" className="text-sm text-red-700 dark:text-red-300">
            backup_log holds no successful backup{run ? ` (newest run ${run.ok ? "ok" : "failed"}, ${formatAgo(run.finishedAt, now)})` : ""}.
          </p>
        )
      ) : null}
    </Panel>
  );
}
