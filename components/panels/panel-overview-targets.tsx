"use client";

import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import { Badge, BadgeSeverity } from "@/components/ui/badge";
import { CsvButton } from "@/components/ui/csv-button";
import { cx } from "@/components/ui/cx";
import { LINK, TONE_TEXT } from "@/components/ui/palette";
import { Value } from "@/components/ui/value";
import type { TargetHealth } from "@/lib/api/health";
import type { OverviewTarget } from "@/lib/api/overview";
import type { TargetSummary } from "@/lib/api/targets";
import { formatAgo } from "@/lib/format/time";
import type { CsvColumn } from "@/lib/format/csv";
import { OverviewReplicationCell } from "./overview-replication-cell";
import { Panel } from "./panel";
import { OverviewFiringRules } from "./panel-alert-overview-rules";
import { isStale } from "./panel-state";
import { useSeriesForTargets } from "./queries";
import { usePanelState } from "./use-panel-state";

// The fleet: one row per target. Health and connections come from the endpoints every
// deployment has; alert counts, TPS, cache ratio and largest table from /api/overview when
// it answers (otherwise they read "—", unknown, never 0).

interface Row {
  target: TargetSummary;
  health: TargetHealth | undefined;
  extra: OverviewTarget | undefined;
}

export function PanelOverviewTargets({
  targets,
  health,
  overview,
  pending,
  error,
  rangeMs,
}: {
  targets: readonly TargetSummary[];
  health: readonly TargetHealth[];
  overview: readonly OverviewTarget[] | null;
  pending: boolean;
  error: Error | null;
  rangeMs: number;
}) {
  const rows: Row[] = targets.map((t) => ({
    target: t,
    health: health.find((h) => h.id === t.id),
    extra: overview?.find((o) => o.id === t.id),
  }));
  const { state, now } = usePanelState({ isPending: pending, error, data: targets }, { everyMs: 1000, hasData: rows.length > 0 });
  const connections = useSeriesForTargets(
    targets.map((t) => t.id),
    "connections_total",
    rangeMs,
  );
  const csv: CsvColumn<Row>[] = [
    { header: "id", value: (r) => r.target.id },
    { header: "name", value: (r) => r.target.name },
    { header: "up", value: (r) => r.health?.up ?? null },
    { header: "down_since", value: (r) => r.health?.downSince ?? null },
    { header: "last_error", value: (r) => r.health?.lastError ?? null },
    { header: "critical", value: (r) => r.extra?.alerts.critical ?? null },
    { header: "warning", value: (r) => r.extra?.alerts.warning ?? null },
    { header: "sessions", value: (r) => r.extra?.sessions?.total ?? null },
    { header: "tps", value: (r) => r.extra?.tps ?? null },
    { header: "cache_hit_ratio_percent", value: (r) => r.extra?.cacheHitRatio ?? null },
    { header: "largest_table", value: (r) => (r.extra?.largestTable ? `${r.extra.largestTable.schema}.${r.extra.largestTable.table}` : null) },
    { header: "largest_table_bytes", value: (r) => r.extra?.largestTable?.totalBytes ?? null },
    { header: "replication_lag_seconds", value: (r) => r.extra?.replicationLagSeconds ?? null },
    { header: "backup_age_seconds", value: (r) => r.extra?.backup?.ageSeconds ?? null },
  ];
  return (
    <Panel
      testId="panel-targets"
      title="Targets"
      state={state}
      error={error}
      empty="No targets configured: add one to pgpulse.config.json (or set DATABASE_URL) and restart."
      actions={<CsvButton rows={rows} columns={csv} name="targets" />}
    >
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead className={cx("text-left text-xs", TONE_TEXT.muted)}>
            <tr>
              <th className="px-2 py-1">Target</th>
              <th className="px-2 py-1">Health</th>
              <th className="px-2 py-1">Firing alerts</th>
              <th className="px-2 py-1 text-right">Sessions</th>
              <th className="px-2 py-1">Connections</th>
              <th className="px-2 py-1 text-right">TPS</th>
              <th className="px-2 py-1 text-right">Cache hit</th>
              <th className="px-2 py-1">Largest table</th>
              <th className="px-2 py-1">Replication</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <TargetRow key={r.target.id} row={r} now={now} connections={connections[i]?.data?.points ?? r.extra?.sparklines.connections ?? []} sessionsCadenceMs={connections[i]?.data?.cadenceMs ?? null} />
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function TargetRow({ row, now, connections, sessionsCadenceMs }: { row: Row; now: number; connections: ReadonlyArray<[string, number | null]>; sessionsCadenceMs: number | null }) {
  const { target: t, health: h, extra: x } = row;
  // Sessions are the most frequent sample: five of their cycles without any sample is a lag.
  const lagging = h?.lastSampleAt && sessionsCadenceMs !== null ? isStale(h.lastSampleAt, sessionsCadenceMs * 5, now) : false;
  return (
    <tr data-testid={`overview-target-${t.id}`} data-up={h?.up === null || h?.up === undefined ? "unknown" : String(h.up)} className="border-t border-slate-100 align-top dark:border-slate-800">
      <td className="px-2 py-2">
        <Link href={`/targets/${encodeURIComponent(t.id)}/live`} className={cx("font-medium", LINK)}>
          {t.name}
        </Link>
        <div className="font-mono text-xs text-slate-500 dark:text-slate-400">
          {t.host}
          {t.port ? `:${t.port}` : ""}/{t.database}
          {h?.serverVersion ? ` · PostgreSQL ${h.serverVersion}` : ""}
          {h?.role ? <span data-testid={`overview-target-${t.id}-role`}>{` · ${h.role}`}</span> : null}
        </div>
        {x?.privilegeWarnings.map((w) => (
          <div key={w} data-testid="privilege-warning" className={cx("mt-1 max-w-md text-xs", TONE_TEXT.warn)}>
            ⚠ {w}
          </div>
        ))}
      </td>
      <td className="px-2 py-2">
        {h === undefined || h.up === null ? (
          <Badge tone="muted">not polled yet</Badge>
        ) : h.up ? (
          <div>
            <Badge tone={lagging ? "warn" : "good"}>{lagging ? "up, lagging" : "up"}</Badge>
            <div className="text-xs text-slate-500 dark:text-slate-400" title={h.lastSampleAt ?? undefined}>
              sampled {formatAgo(h.lastSampleAt, now)}
            </div>
          </div>
        ) : (
          <div data-testid={`overview-target-${t.id}-down`}>
            <Badge tone="bad">down</Badge>
            <div className="text-xs" title={h.downSince ?? undefined}>
              since {formatAgo(h.downSince, now)}
            </div>
            {h.lastError ? <div className={cx("max-w-xs text-xs break-words", TONE_TEXT.bad)}>{h.lastError}</div> : null}
          </div>
        )}
      </td>
      <td className="px-2 py-2">
        {x ? (
          <div className="flex flex-wrap gap-1">
            {x.alerts.critical + x.alerts.warning + x.alerts.info === 0 ? <Badge tone="good">none</Badge> : null}
            {x.alerts.critical > 0 ? <BadgeSeverity severity="critical">{x.alerts.critical} critical</BadgeSeverity> : null}
            {x.alerts.warning > 0 ? <BadgeSeverity severity="warning">{x.alerts.warning} warning</BadgeSeverity> : null}
            {x.alerts.info > 0 ? <BadgeSeverity severity="info">{x.alerts.info} info</BadgeSeverity> : null}
            {x.alerts.pending > 0 ? <Badge tone="warn">{x.alerts.pending} pending</Badge> : null}
            <OverviewFiringRules targetId={t.id} />
          </div>
        ) : (
          <span className="text-slate-500 dark:text-slate-400">—</span>
        )}
      </td>
      <td className="px-2 py-2 text-right">
        <Value value={x?.sessions?.total ?? lastOf(connections)} kind="count" />
        {x?.sessions?.max ? <span className="text-xs text-slate-500 dark:text-slate-400"> / {x.sessions.max}</span> : null}
      </td>
      <td className="px-2 py-2">
        <Sparkline points={connections} label={`connections of ${t.name}`} testId={`overview-target-${t.id}-spark-connections`} />
      </td>
      <td className="px-2 py-2 text-right">
        <Value value={x?.tps ?? null} kind="rate" />
        {x ? (
          <div>
            <Sparkline points={x.sparklines.tps} label={`TPS of ${t.name}`} width={72} height={18} />
          </div>
        ) : null}
      </td>
      <td className="px-2 py-2 text-right">
        <Value value={x?.cacheHitRatio ?? null} kind="percent" className={x?.cacheHitRatio !== null && x?.cacheHitRatio !== undefined && x.cacheHitRatio < 90 ? TONE_TEXT.bad : undefined} />
        {x ? (
          <div>
            <Sparkline points={x.sparklines.cacheHitRatio} label={`cache hit ratio of ${t.name}`} width={72} height={18} reference={90} />
          </div>
        ) : null}
      </td>
      <td className="px-2 py-2">
        {x?.largestTable ? (
          <Link href={`/targets/${encodeURIComponent(t.id)}/tables`} className="hover:underline">
            <span className="font-mono text-xs">
              {x.largestTable.schema}.{x.largestTable.table}
            </span>{" "}
            <Value value={x.largestTable.totalBytes} kind="bytes" />
          </Link>
        ) : (
          <span className="text-slate-500 dark:text-slate-400">—</span>
        )}
      </td>
      <td className="px-2 py-2">
        <OverviewReplicationCell targetId={t.id} x={x} />
      </td>
    </tr>
  );
}

function lastOf(points: ReadonlyArray<[string, number | null]>): number | null {
  for (let i = points.length - 1; i >= 0; i--) if (points[i][1] !== null) return points[i][1];
  return null;
}
