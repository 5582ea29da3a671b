"use client";

import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { DataTable, type Column } from "@/components/ui/data-table";
import { LINK, TONE_TEXT } from "@/components/ui/palette";
import { TextInput } from "@/components/ui/select";
import { Time, Value } from "@/components/ui/value";
import { rangeKey } from "./queries";
import type { TimeRange } from "@/lib/api/search-params";
import type { SlowGroup } from "@/lib/api/slow-queries";
import { formatDuration } from "@/lib/format/duration";
import { formatAgo } from "@/lib/format/time";
import { Panel } from "./panel";
import { useSlowQueries } from "./queries";
import { CALLS_LABEL, CALLS_TITLE, SEEN_LABEL, SEEN_TITLE } from "./slow-counts";
import { usePanelState } from "./use-panel-state";

// Slow statements grouped by fingerprint over the range, the costliest first (total time).

export function PanelSlowQueries({ targetId, range, q, onFilter }: { targetId: string; range: TimeRange; q: string | null; onFilter: (q: string | null) => void }) {
  const res = useSlowQueries(targetId, range);
  const d = res.data;
  // An answer with no groups is a real answer ("nothing slow"), unless no source can be read.
  const { state, now } = usePanelState(res, { everyMs: 5000, hasData: d !== undefined && d.unavailable === null });
  const needle = q?.toLowerCase() ?? null;
  const rows = (d?.groups ?? []).filter((g) => needle === null || (g.example ?? "").toLowerCase().includes(needle) || g.fingerprint.includes(needle));
  const detailHref = (fp: string) => {
    const rk = rangeKey(range);
    const qs = range.kind === "relative" ? (rk === "24h" ? "" : `?range=${rk}`) : `?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`;
    return `/targets/${encodeURIComponent(targetId)}/queries/${encodeURIComponent(fp)}${qs}`;
  };
  const columns: Column<SlowGroup>[] = [
    {
      id: "query",
      header: "statement",
      width: "minmax(20rem, 2fr)",
      cell: (g) => (
        <Link href={detailHref(g.fingerprint)} className={cx("font-mono text-xs", LINK)} title={g.example ?? undefined}>
          {g.example ?? `fingerprint ${g.fingerprint}`}
        </Link>
      ),
      csv: (g) => g.example,
    },
    { id: "seen", header: SEEN_LABEL, title: SEEN_TITLE, width: "4.5rem", align: "right", cell: (g) => <Value value={g.count} kind="count" />, sort: (g) => g.count },
    { id: "calls", header: CALLS_LABEL, title: CALLS_TITLE, width: "4.5rem", align: "right", cell: (g) => <Value value={g.calls} kind="count" />, sort: (g) => g.calls },
    { id: "mean", header: "mean", width: "5.5rem", align: "right", cell: (g) => <Value value={g.meanMs} kind="ms" />, sort: (g) => g.meanMs },
    { id: "p95", header: "p95", width: "5.5rem", align: "right", cell: (g) => <Value value={g.p95Ms} kind="ms" />, sort: (g) => g.p95Ms },
    { id: "max", header: "max", width: "5.5rem", align: "right", cell: (g) => <Value value={g.maxMs} kind="ms" />, sort: (g) => g.maxMs },
    {
      id: "share",
      header: "time share",
      width: "7rem",
      cell: (g) =>
        g.totalShare === null ? (
          <span className="text-slate-500 dark:text-slate-400">—</span>
        ) : (
          <span className="flex items-center gap-1" title={`total ${formatDuration(g.totalMs)}`}>
            <span className="h-2 w-12 overflow-hidden rounded bg-slate-200 dark:bg-slate-700">
              <span className="block h-full bg-violet-600" style={{ width: `${g.totalShare * 100}%` }} />
            </span>
            <Value value={g.totalShare * 100} kind="percent" className="text-xs" />
          </span>
        ),
      sort: (g) => g.totalMs,
      csv: (g) => g.totalShare,
    },
    { id: "first", header: "first seen", width: "6.5rem", cell: (g) => <Time iso={g.firstSeen}>{formatAgo(g.firstSeen, now)}</Time>, sort: (g) => g.firstSeen },
    { id: "last", header: "last seen", width: "6.5rem", cell: (g) => <Time iso={g.lastSeen}>{formatAgo(g.lastSeen, now)}</Time>, sort: (g) => g.lastSeen },
    { id: "spark", header: "occurrences", width: "7rem", cell: (g) => <Sparkline points={g.occurrences} label="occurrences over the range" /> },
    {
      id: "sources",
      header: "sources",
      width: "9rem",
      cell: (g) => (
        <span className="flex flex-wrap gap-1">
          {g.sources.map((s) => (
            <Badge key={s} tone="muted">
              {s === "slow_query_log" ? "log" : s === "pg_stat_statements" ? "pgss" : "running"}
            </Badge>
          ))}
        </span>
      ),
      csv: (g) => g.sources.join(" "),
    },
  ];
  return (
    <Panel
      testId="panel-slow-queries"
      title="Slow statements by fingerprint"
      subtitle={d ? `statements over ${formatDuration(d.thresholdMs)}, and the top statements by total time from pg_stat_statements · ${d.groups.length} fingerprints · ${SEEN_LABEL}: observations, ${CALLS_LABEL}: executions` : undefined}
      state={state}
      error={res.error}
      unavailable={d?.unavailable}
    >
      {d && Object.keys(d.sourcesUnavailable).length > 0 ? (
        <ul className="mb-2 text-xs text-amber-800 dark:text-amber-300">
          {Object.entries(d.sourcesUnavailable).map(([src, why]) => (
            <li key={src}>
              {src}: {why}
              {/pg_stat_statements/.test(why) && /not installed/.test(why) ? (
                <>
                  {" "}
                  — run <code>npm run setup</code>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {rows.length === 0 && !needle ? (
        <p data-testid="slow-queries-none" className={cx("text-sm", TONE_TEXT.good)}>
          No statement over the threshold in this range.
        </p>
      ) : (
        <DataTable
          label="Slow statements"
          rows={rows}
          columns={columns}
          rowKey={(g) => g.fingerprint}
          rowTestId={(g) => `slow-group-${g.fingerprint}`}
          defaultSort={{ id: "share", dir: "desc" }}
          csvName={`slow-queries-${targetId}`}
          maxHeight="40rem"
          toolbar={<TextInput placeholder="filter statements" aria-label="Filter statements" defaultValue={q ?? ""} onChange={(e) => onFilter(e.target.value.trim() || null)} className="w-64" />}
        />
      )}
    </Panel>
  );
}

/** Statements running right now over the threshold, each linked to its session. */
export function PanelRunningSlow({ targetId, range }: { targetId: string; range: TimeRange }) {
  const res = useSlowQueries(targetId, range);
  const { state } = usePanelState(res, { everyMs: 5000 });
  const running = res.data?.running ?? [];
  return (
    <Panel testId="panel-running-slow" title="Running now over the threshold" state={state} error={res.error}>
      {running.length === 0 ? (
        <p className={cx("text-sm", TONE_TEXT.secondary)}>None right now.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {running.map((r) => (
            <li key={r.pid} data-testid={`running-slow-${r.pid}`} className="flex flex-wrap items-baseline gap-2">
              <Link href={`/targets/${encodeURIComponent(targetId)}/live?pid=${r.pid}`} className={cx("font-mono", LINK)}>
                pid {r.pid}
              </Link>
              <Value value={r.durationMs} kind="ms" className={cx("font-semibold", TONE_TEXT.warn)} />
              <span className="text-xs text-slate-500 dark:text-slate-400">
                {r.user ?? "?"} · {r.application || "—"}
              </span>
              <span className="min-w-0 flex-1 truncate font-mono text-xs" title={r.query ?? undefined}>
                {r.query}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
