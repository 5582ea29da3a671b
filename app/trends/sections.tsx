"use client";

import type { ReactNode } from "react";
import { ChartBar } from "@/components/charts/lazy";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { CsvButton } from "@/components/ui/csv-button";
import { cx } from "@/components/ui/cx";
import type { Change, CoverageDay, DayPair, TargetTrends } from "@/lib/api/trends";
import { formatBytes } from "@/lib/format/bytes";
import type { CsvColumn } from "@/lib/format/csv";
import { formatDuration, formatSeconds } from "@/lib/format/duration";
import { formatPercent, formatRate, UNKNOWN } from "@/lib/format/number";
import { localTimeLabel, WEEKDAY_LABELS } from "@/lib/trends/iso-week";

// The sections of one target's week. Presentational: everything comes from the API response.

type Fmt = (v: number) => string;
const fmtOr = (f: Fmt) => (v: number | null | undefined) => (v === null || v === undefined ? UNKNOWN : f(v));
const count: Fmt = (v) => Math.round(v).toLocaleString("en-US");
const pct: Fmt = (v) => formatPercent(v);
const rate: Fmt = (v) => formatRate(v);
const bytes: Fmt = (v) => formatBytes(v);
const ms: Fmt = (v) => formatDuration(v);
const secs: Fmt = (v) => formatSeconds(v);
const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }) : UNKNOWN);

/** Whether a rise is bad news for this figure (slow statements) or good (cache hits). */
type Better = "lower" | "higher" | "neutral";

function Delta({ c, f, better }: { c: Change; f: Fmt; better: Better }) {
  if (c.delta === null) return <span className="text-xs text-slate-500">{c.previous === null ? "no data last week" : "no data this week"}</span>;
  const sign = c.delta > 0 ? "+" : c.delta < 0 ? "−" : "±";
  const good = better === "neutral" || c.delta === 0 ? null : (c.delta < 0) === (better === "lower");
  return (
    <span className={cx("text-xs", good === null ? "text-slate-500" : good ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400")}>
      {sign}
      {f(Math.abs(c.delta))}
      {c.pct !== null ? ` (${sign}${Math.abs(Math.round(c.pct))} %)` : ""} · last week {f(c.previous!)}
    </span>
  );
}

function Figure({ id, label, c, f, better, note }: { id: string; label: string; c: Change; f: Fmt; better: Better; note?: ReactNode }) {
  return (
    <div className="rounded border border-slate-200 p-3 dark:border-slate-800" data-testid={`figure-${id}`}>
      <div className="text-xs text-slate-500">{label}</div>
      <div className="tabular text-lg font-semibold" data-testid={`figure-${id}-value`}>
        {fmtOr(f)(c.current)}
      </div>
      <Delta c={c} f={f} better={better} />
      {note ? <div className="text-xs text-slate-500">{note}</div> : null}
    </div>
  );
}

function Coverage({ label, days }: { label: string; days: CoverageDay[] }) {
  return (
    <div className="flex flex-wrap items-center gap-1 text-xs">
      <span className="w-20 text-slate-500">{label}</span>
      {days.map((d) => {
        const share = d.hours === 0 ? null : d.hoursWithData / d.hours;
        return (
          <span
            key={d.date}
            title={`${d.date}: ${d.hoursWithData} of ${d.hours} hours with data${d.simulated ? " (simulated)" : ""}`}
            data-testid={`coverage-${d.date}`}
            className={cx(
              "tabular rounded px-1.5 py-0.5",
              share === null ? "bg-slate-100 text-slate-400 dark:bg-slate-800" : share === 1 ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" : share === 0 ? "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" : "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
              d.simulated && "italic",
            )}
          >
            {WEEKDAY_LABELS[d.weekday - 1]} {share === null ? "—" : `${Math.round(share * 100)} %`}
            {d.simulated ? "*" : ""}
          </span>
        );
      })}
    </div>
  );
}

function DailyChart({ id, title, pairs, f, week, previousWeek, reference }: { id: string; title: string; pairs: DayPair[]; f: Fmt; week: string; previousWeek: string; reference?: { y: number; label: string } }) {
  // Joined by weekday (the API pairs them); a null stays a missing bar, never a zero bar.
  const data = pairs.map((p) => ({ day: WEEKDAY_LABELS[p.weekday - 1], current: p.current, previous: p.previous }));
  const hasData = pairs.some((p) => p.current !== null || p.previous !== null);
  return (
    <Card className="trends-chart" data-testid={`daily-${id}`} data-state={hasData ? "ready" : "empty"}>
      <CardHeader title={title} subtitle={`${week} against ${previousWeek}, by weekday`} />
      {hasData ? (
        <ChartBar data={data} index="day" categories={["current", "previous"]} labels={{ current: week, previous: previousWeek }} valueFormatter={f} references={reference ? [reference] : []} height={180} />
      ) : (
        <p className="text-sm text-slate-500">No data for either week.</p>
      )}
    </Card>
  );
}

function Table<T>({ id, title, subtitle, rows, columns, empty }: { id: string; title: string; subtitle?: string; rows: T[]; columns: Array<CsvColumn<T> & { cell?: (r: T) => ReactNode; right?: boolean }>; empty: string }) {
  return (
    <Card data-testid={`table-${id}`} data-state={rows.length ? "ready" : "empty"}>
      <CardHeader title={title} subtitle={subtitle} actions={<span className="no-print"><CsvButton rows={rows} columns={columns} name={`trends-${id}`} /></span>} />
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-xs text-slate-500 dark:border-slate-800">
                {columns.map((c) => (
                  <th key={c.header} className={cx("px-2 py-1 font-medium", c.right && "text-right")}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  {columns.map((c) => (
                    <td key={c.header} className={cx("px-2 py-1 align-top", c.right && "tabular text-right")}>
                      {c.cell ? c.cell(r) : String(c.value(r) ?? UNKNOWN)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

const STATUS_TONE = { new: "info", worse: "bad", better: "good", same: "muted", gone: "neutral" } as const;

export function TargetWeek({ t, week, previousWeek, tz }: { t: TargetTrends; week: string; previousWeek: string; tz: string }) {
  const h = t.headline;
  const at = (iso: string | null) => {
    if (!iso) return null;
    const l = localTimeLabel(new Date(iso), tz);
    return `${l.weekday} ${l.time}`;
  };
  const threshold = formatBytes(t.thresholds.tableSizeBytes);
  return (
    <div className="space-y-4" data-testid={`trends-target-${t.targetId}`}>
      <Card data-testid="trends-summary">
        <CardHeader title="Summary" subtitle={t.simulated ? "This week includes simulated demo history" : undefined} />
        {t.summary.length ? <p className="text-sm leading-relaxed">{t.summary.join(" ")}</p> : <p className="text-sm text-slate-500">Nothing to report: no figure of this week is known.</p>}
        <div className="mt-3 space-y-1" data-testid="trends-coverage">
          <Coverage label={week} days={t.coverage.current} />
          <Coverage label={previousWeek} days={t.coverage.previous} />
          {t.simulated || t.previousSimulated ? <p className="text-xs text-slate-500">* simulated demo history</p> : null}
        </div>
      </Card>

      <div className="trends-grid grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-6" data-testid="trends-headline">
        <Figure id="slow-count" label="Slow statements" c={h.slowCount} f={count} better="lower" />
        <Figure id="slow-p95" label="Slow statements p95" c={h.slowP95Ms} f={ms} better="lower" />
        <Figure id="cache-mean" label="Cache hit ratio (hourly mean)" c={h.cacheHitMean} f={pct} better="higher" />
        <Figure
          id="cache-worst"
          label="Worst hour's cache hit ratio"
          c={{ current: h.cacheHitWorst.current?.value ?? null, previous: h.cacheHitWorst.previous?.value ?? null, delta: h.cacheHitWorst.current && h.cacheHitWorst.previous ? h.cacheHitWorst.current.value - h.cacheHitWorst.previous.value : null, pct: null }}
          f={pct}
          better="higher"
          note={at(h.cacheHitWorst.current?.from ?? null)}
        />
        <Figure id="peak-connections" label="Peak connections" c={h.peakConnections} f={count} better="lower" note={h.connectionLimit !== null ? `of ${h.connectionLimit} usable · ${at(h.peakConnectionsAt) ?? ""}` : at(h.peakConnectionsAt)} />
        <Figure id="tps-mean" label="TPS (mean)" c={h.tpsMean} f={rate} better="neutral" />
        <Figure id="tps-peak" label="TPS (busiest hour)" c={h.tpsPeak} f={rate} better="neutral" note={at(h.tpsPeakAt)} />
        <Figure id="db-growth" label="Database growth" c={h.dbSizeGrowthBytes} f={bytes} better="neutral" note={h.dbSizeBytes !== null ? `now ${formatBytes(h.dbSizeBytes)}` : null} />
        <Figure id="alerts" label="Alerts fired" c={h.alertsFired} f={count} better="lower" />
        <Figure id="mtta" label="MTTA" c={h.mttaSeconds} f={secs} better="lower" />
        <Figure id="mttr" label="MTTR" c={h.mttrSeconds} f={secs} better="lower" />
      </div>

      <div className="trends-charts grid gap-3 md:grid-cols-2 xl:grid-cols-3">
        <DailyChart id="slow" title="Slow statements per day" pairs={t.daily.slowCount} f={count} week={week} previousWeek={previousWeek} />
        <DailyChart id="cache" title="Cache hit ratio (daily mean of hours)" pairs={t.daily.cacheHitMean} f={pct} week={week} previousWeek={previousWeek} reference={{ y: t.thresholds.cacheHitRatioPercent, label: `${t.thresholds.cacheHitRatioPercent} %` }} />
        <DailyChart id="tps" title="TPS (daily mean)" pairs={t.daily.tpsMean} f={rate} week={week} previousWeek={previousWeek} />
        <DailyChart id="connections" title="Peak connections per day" pairs={t.daily.peakConnections} f={count} week={week} previousWeek={previousWeek} />
        <DailyChart id="dbsize" title="Database size at day end" pairs={t.daily.dbSizeBytes} f={bytes} week={week} previousWeek={previousWeek} />
      </div>

      <Table
        id="tables"
        title="Fastest-growing tables"
        subtitle={`Growth this week and the projected day each crosses ${threshold}`}
        rows={t.tables}
        empty={t.tablesAvailable ? "No table size snapshots this week." : "No size snapshots are stored for this week (snapshots are kept 31 days)."}
        columns={[
          { header: "Table", value: (r) => r.objectKey, cell: (r) => <span className="font-mono">{r.objectKey}</span> },
          { header: "Size", value: (r) => r.sizeBytes, cell: (r) => fmtOr(bytes)(r.sizeBytes), right: true },
          { header: "Growth", value: (r) => r.growthBytes, cell: (r) => fmtOr(bytes)(r.growthBytes), right: true },
          { header: "Per day", value: (r) => r.growthBytesPerDay, cell: (r) => fmtOr(bytes)(r.growthBytesPerDay), right: true },
          { header: `Crosses ${threshold}`, value: (r) => (r.alreadyOver ? "already over" : r.crossesAt), cell: (r) => (r.alreadyOver ? <Badge tone="bad">already over</Badge> : day(r.crossesAt)) },
          { header: "Last week's projection", value: (r) => r.previousCrossesAt, cell: (r) => day(r.previousCrossesAt) },
          {
            header: "Change (days)",
            value: (r) => r.projectionChangeDays,
            cell: (r) => (r.projectionChangeDays === null ? UNKNOWN : `${r.projectionChangeDays < 0 ? "sooner by " : "later by "}${Math.abs(r.projectionChangeDays).toFixed(1)}`),
            right: true,
          },
        ]}
      />

      <div className="grid gap-3 xl:grid-cols-2">
        <Table
          id="bloat"
          title="Indexes whose bloat rose most"
          subtitle="Reliable estimates only, first against last snapshot of the week"
          rows={t.bloat}
          empty="No bloat estimate this week."
          columns={[
            { header: "Index", value: (r) => r.objectKey, cell: (r) => <span className="font-mono">{r.objectKey}</span> },
            { header: "Bloat", value: (r) => r.bloatPercent, cell: (r) => fmtOr(pct)(r.bloatPercent), right: true },
            { header: "At week start", value: (r) => r.previousBloatPercent, cell: (r) => fmtOr(pct)(r.previousBloatPercent), right: true },
            { header: "Change (points)", value: (r) => r.deltaPoints, cell: (r) => (r.deltaPoints === null ? UNKNOWN : `${r.deltaPoints >= 0 ? "+" : "−"}${Math.abs(r.deltaPoints).toFixed(1)}`), right: true },
            { header: "Wasted", value: (r) => r.wastedBytes, cell: (r) => fmtOr(bytes)(r.wastedBytes), right: true },
          ]}
        />
        <Table
          id="unused"
          title="New unused indexes"
          subtitle="Unused at the week's end, not at its start"
          rows={t.unusedIndexes}
          empty="No index became unused this week."
          columns={[
            { header: "Index", value: (r) => r.objectKey, cell: (r) => <span className="font-mono">{r.objectKey}</span> },
            { header: "Size", value: (r) => r.sizeBytes, cell: (r) => fmtOr(bytes)(r.sizeBytes), right: true },
            { header: "Definition", value: (r) => r.definition, cell: (r) => <span className="font-mono text-xs">{r.definition ?? UNKNOWN}</span> },
          ]}
        />
      </div>

      <Table
        id="fingerprints"
        title="Top slow statements"
        subtitle="By total time this week; status against last week"
        rows={t.fingerprints}
        empty="No slow statement in either week."
        columns={[
          { header: "Status", value: (r) => r.status, cell: (r) => <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge> },
          { header: "Statement", value: (r) => r.query, cell: (r) => <span className="line-clamp-2 font-mono text-xs" title={r.query}>{r.query}</span> },
          { header: "Count", value: (r) => r.count, right: true },
          { header: "Last week", value: (r) => r.previousCount, right: true },
          { header: "p95", value: (r) => r.p95Ms, cell: (r) => fmtOr(ms)(r.p95Ms), right: true },
          { header: "p95 last week", value: (r) => r.previousP95Ms, cell: (r) => fmtOr(ms)(r.previousP95Ms), right: true },
          { header: "Fingerprint", value: (r) => r.fingerprint, cell: (r) => <span className="font-mono text-xs">{r.fingerprint.slice(0, 16)}</span> },
        ]}
      />

      <Table
        id="alerts"
        title="Alerts fired by rule"
        rows={t.alerts}
        empty="No alert fired in either week."
        columns={[
          { header: "Rule", value: (r) => r.rule },
          { header: "Fired", value: (r) => r.fired, right: true },
          { header: "Last week", value: (r) => r.previousFired, right: true },
          { header: "Acknowledged", value: (r) => r.acknowledged, right: true },
          { header: "Resolved", value: (r) => r.resolved, right: true },
          { header: "MTTA", value: (r) => r.mttaSeconds, cell: (r) => fmtOr(secs)(r.mttaSeconds), right: true },
          { header: "MTTR", value: (r) => r.mttrSeconds, cell: (r) => fmtOr(secs)(r.mttrSeconds), right: true },
        ]}
      />
    </div>
  );
}
