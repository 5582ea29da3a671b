"use client";

import Link from "next/link";
import { useMemo } from "react";
import { Sparkline } from "@/components/charts/sparkline";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { DataTable, type Column } from "@/components/ui/data-table";
import { LINK, TONE_TEXT, type Tone } from "@/components/ui/palette";
import { Value } from "@/components/ui/value";
import { FLEET_STATUSES, fleetTags, fleetView, type FleetFilter, type FleetStatus } from "@/lib/api/fleet";
import type { CompactSeries, OverviewTarget } from "@/lib/api/overview";
import type { Point } from "@/lib/api/common";
import { formatSeconds } from "@/lib/format/duration";
import { formatAgo } from "@/lib/format/time";
import { FleetFilters } from "./fleet-filters";
import { OverviewReplicationCell } from "./overview-replication-cell";
import { OverviewFiringRules } from "./panel-alert-overview-rules";
import { Panel } from "./panel";
import { usePanelState } from "./use-panel-state";

// The fleet: every target in one list, worst first (down, critical, warning, unknown, ok; then
// by name), filtered by name, tags and status from the URL. One request carries every row and
// its sparkline; the list is virtualized, so 200 targets draw what is on screen only.

const STATUS_TONE: Record<FleetStatus, Tone> = { down: "bad", critical: "bad", warning: "warn", unknown: "muted", ok: "good" };
const DASH = <span className={TONE_TEXT.muted}>—</span>;

export function PanelOverviewTargets({
  rows,
  pending,
  error,
  filter,
  onFilter,
}: {
  rows: readonly OverviewTarget[] | undefined;
  pending: boolean;
  error: Error | null;
  filter: FleetFilter;
  onFilter: (patch: Partial<FleetFilter>) => void;
}) {
  const all = useMemo(() => rows ?? [], [rows]);
  const { state, now } = usePanelState({ isPending: pending, error, data: rows }, { everyMs: 5000, hasData: all.length > 0 });
  const shown = useMemo(() => fleetView(all, filter), [all, filter]);
  const tags = useMemo(() => fleetTags(all), [all]);
  const counts = useMemo(() => {
    const c = Object.fromEntries(FLEET_STATUSES.map((s) => [s, 0])) as Record<FleetStatus, number>;
    for (const r of all) c[r.status]++;
    return c;
  }, [all]);
  const columns = useMemo(() => fleetColumns(now), [now]);
  return (
    <Panel
      testId="panel-targets"
      title="Fleet"
      subtitle="every target, worst first"
      state={state}
      error={error}
      empty="No targets configured: add one to pgpulse.config.json (or set DATABASE_URL, or a discovery rule) and restart."
    >
      <DataTable
        rows={shown}
        columns={columns}
        rowKey={(r) => r.id}
        rowTestId={(r) => `overview-target-${r.id}`}
        label="Targets"
        testId="fleet-list"
        csvName="targets"
        maxHeight="75vh"
        toolbar={<FleetFilters filter={filter} onChange={onFilter} tags={tags} counts={counts} shown={shown.length} total={all.length} />}
      />
    </Panel>
  );
}

function fleetColumns(now: number): Column<OverviewTarget>[] {
  return [
    {
      id: "name",
      header: "Target",
      width: "minmax(13rem, 1.5fr)",
      wrap: true,
      sort: (r) => r.name,
      cell: (r) => <TargetCell r={r} />,
    },
    {
      id: "status",
      header: "Status",
      width: "7.5rem",
      wrap: true,
      // Descending puts the worst first, as the list opens.
      sort: (r) => FLEET_STATUSES.length - FLEET_STATUSES.indexOf(r.status),
      csv: (r) => r.status,
      cell: (r) => <StatusCell r={r} now={now} />,
    },
    {
      id: "alerts",
      header: "Firing alerts",
      width: "minmax(9rem, 1fr)",
      wrap: true,
      sort: (r) => r.alerts.critical * 1000 + r.alerts.warning,
      csv: (r) => r.firing.map((f) => `${f.rule}×${f.count}`).join(" "),
      cell: (r) => (r.firing.length === 0 && r.alerts.pending === 0 ? <span className={TONE_TEXT.muted}>none</span> : <OverviewFiringRules targetId={r.id} rules={r.firing} pending={r.alerts.pending} />),
    },
    {
      id: "connections",
      header: "Sessions",
      title: "sessions on the target's database / usable connection slots of its server; for a target another pgpulse instance polls, the average of the last stored minute (avg)",
      width: "6.5rem",
      align: "right",
      sort: (r) => r.connections.used,
      csv: (r) => r.connections.used,
      cell: (r) => (
        // Polled elsewhere: no live session list here, only the stored per-minute average.
        <span title={r.source === "store" ? "average over the last stored minute" : undefined} data-testid={`overview-target-${r.id}-sessions`}>
          {r.source === "store" && r.connections.used !== null ? <span className={cx("text-xs", TONE_TEXT.muted)}>avg </span> : null}
          <Value value={r.connections.used} kind="count" />
          <span className={cx("text-xs", TONE_TEXT.muted)}> / {r.connections.usable ?? "—"}</span>
        </span>
      ),
    },
    {
      id: "trend",
      header: "Sessions, 15 min",
      width: "7rem",
      cell: (r) => <Sparkline points={expand(r.sparkline)} width={96} height={20} label={`sessions of ${r.name}, last 15 minutes`} testId={`overview-target-${r.id}-spark-connections`} />,
    },
    { id: "tps", header: "TPS", width: "4.5rem", align: "right", sort: (r) => r.tps, cell: (r) => <Value value={r.tps} kind="rate" /> },
    {
      id: "cache",
      header: "Cache hit",
      width: "5rem",
      align: "right",
      sort: (r) => r.cacheHitRatio,
      cell: (r) => <Value value={r.cacheHitRatio} kind="percent" className={r.cacheHitRatio !== null && r.cacheHitRatio < 90 ? TONE_TEXT.bad : undefined} />,
    },
    {
      id: "longest",
      header: "Longest query",
      title: "the longest-running statement in the last minute",
      width: "6rem",
      align: "right",
      sort: (r) => r.longestQuerySeconds,
      cell: (r) => <span className="tabular">{r.longestQuerySeconds === null ? DASH : formatSeconds(r.longestQuerySeconds)}</span>,
    },
    {
      id: "replication",
      header: "Lag · backup",
      width: "8.5rem",
      wrap: true,
      sort: (r) => r.replicationLagSeconds,
      csv: (r) => r.replicationLagSeconds,
      cell: (r) => <OverviewReplicationCell targetId={r.id} x={r} />,
    },
    {
      id: "largest",
      header: "Largest table",
      width: "minmax(8rem, 0.8fr)",
      sort: (r) => r.largestTable?.totalBytes,
      cell: (r) =>
        r.largestTable ? (
          <Link href={`/targets/${encodeURIComponent(r.id)}/tables`} className="hover:underline" title={`${r.largestTable.schema}.${r.largestTable.table}`}>
            <Value value={r.largestTable.totalBytes} kind="bytes" /> <span className="font-mono text-xs">{r.largestTable.table}</span>
          </Link>
        ) : (
          DASH
        ),
    },
  ];
}

function TargetCell({ r }: { r: OverviewTarget }) {
  return (
    <div className="min-w-0">
      <div className="flex min-w-0 flex-wrap items-center gap-1">
        <Link href={`/targets/${encodeURIComponent(r.id)}/live`} className={cx("font-medium break-all", LINK)}>
          {r.name}
        </Link>
        {r.role ? (
          <Badge tone="neutral" data-testid={`overview-target-${r.id}-role`}>
            {r.role}
          </Badge>
        ) : null}
        {Object.entries(r.tags).map(([k, v]) => (
          <span key={k} data-testid="fleet-tag" className={cx("rounded bg-slate-100 px-1 text-xs dark:bg-slate-800", TONE_TEXT.secondary)}>
            {k}={v}
          </span>
        ))}
      </div>
      <div className={cx("truncate font-mono text-xs", TONE_TEXT.muted)} title={`${r.host}${r.port ? `:${r.port}` : ""}/${r.database}`}>
        {r.host}
        {r.port ? `:${r.port}` : ""}/{r.database}
        {r.serverVersion ? ` · PostgreSQL ${r.serverVersion}` : ""}
      </div>
      {r.privilegeWarnings.map((w) => (
        <div key={w} data-testid="privilege-warning" className={cx("mt-1 text-xs", TONE_TEXT.warn)}>
          ⚠ {w}
        </div>
      ))}
    </div>
  );
}

function StatusCell({ r, now }: { r: OverviewTarget; now: number }) {
  const where = r.source === "store" ? (r.heldBy ? `polled by pgpulse instance ${r.heldBy.name}; read from the store` : "polled by no pgpulse instance now") : undefined;
  return (
    <div data-testid={`overview-target-${r.id}-status`} data-status={r.status} data-up={r.up === null ? "unknown" : String(r.up)} title={where}>
      <Badge tone={STATUS_TONE[r.status]}>{r.status === "unknown" && r.up === null ? "not polled yet" : r.status}</Badge>
      {r.up === false ? (
        <div className="text-xs" data-testid={`overview-target-${r.id}-down`}>
          <span title={r.downSince ?? undefined}>since {formatAgo(r.downSince, now)}</span>
          {r.lastError ? <div className={cx("line-clamp-2 break-words", TONE_TEXT.bad)} title={r.lastError}>{r.lastError}</div> : null}
        </div>
      ) : r.lastSampleAt ? (
        <div className={cx("text-xs", TONE_TEXT.muted)} title={r.lastSampleAt}>
          {formatAgo(r.lastSampleAt, now)}
        </div>
      ) : null}
    </div>
  );
}

/** The compact series back to timed points for the sparkline (gaps stay null). */
function expand(s: CompactSeries): Point[] {
  const from = Date.parse(s.from);
  return s.values.map((v, i) => [new Date(from + i * s.stepSeconds * 1000).toISOString(), v]);
}
