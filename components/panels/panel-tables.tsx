"use client";

import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { DataTable, type Column } from "@/components/ui/data-table";
import { LINK, MARK, TONE_NOTE, TONE_TEXT } from "@/components/ui/palette";
import { Pager } from "@/components/ui/pager";
import { FilterInput } from "@/components/ui/filter-input";
import { Time, Value } from "@/components/ui/value";
import { LIST_PAGE_SIZE, type TableSort } from "@/lib/api/list-sorts";
import type { TablesParams, TimeRange } from "@/lib/api/search-params";
import type { TableRow } from "@/lib/api/tables";
import type { ListQuery } from "@/lib/api/urls";
import { formatBytes } from "@/lib/format/bytes";
import { formatAgo, formatDate } from "@/lib/format/time";
import { REFRESH_MS } from "@/lib/limits";
import { Panel } from "./panel";
import { tablesListUrl, useTables } from "./queries";
import { SizeBar } from "./size-bar";
import { usePanelState } from "./use-panel-state";
import { likelyNeedsIndex } from "@/lib/analysis/needs-index";

// Per table: how it is read (seq vs index scans), written (rates over the range), vacuumed,
// and how big it is against the threshold, with growth and the projected crossing date.
// Partitions are grouped under their parent, whose row carries the summed size.

const key = (r: Pick<TableRow, "schema" | "table">) => `${r.schema}.${r.table}`;

/** The page of the tables list the URL asks for; the page and the size-history panel share it. */
export function tablesListQuery(p: Pick<TablesParams, "q" | "sort" | "dir" | "page">): ListQuery<TableSort> {
  return { sort: p.sort as TableSort, dir: p.dir, q: p.q, page: { limit: LIST_PAGE_SIZE, offset: (p.page - 1) * LIST_PAGE_SIZE } };
}

export function PanelTables({
  targetId,
  range,
  params,
  selected,
  onChange,
  onSelect,
}: {
  targetId: string;
  range: TimeRange;
  params: Pick<TablesParams, "q" | "sort" | "dir" | "page">;
  selected: string | null;
  onChange: (p: Partial<TablesParams>) => void;
  onSelect: (table: string) => void;
}) {
  const list = tablesListQuery(params);
  const res = useTables(targetId, range, list);
  const d = res.data;
  const { state, now } = usePanelState(res, {
    everyMs: 5000,
    sampled: { takenAt: d?.takenAt ?? null, cadenceMs: d?.cadenceMs ?? 0, slackMs: REFRESH_MS.tables },
  });
  // The server answers the page's top-level tables, sorted, followed by their partitions.
  const all = d?.rows ?? [];
  const partitionsOf = new Map<string, TableRow[]>();
  for (const r of all) {
    if (r.parent === null) continue;
    const parentKey = r.parent.includes(".") ? r.parent : `${r.schema}.${r.parent}`;
    partitionsOf.set(parentKey, [...(partitionsOf.get(parentKey) ?? []), r]);
  }
  const top = all.filter((r) => r.parent === null);
  const threshold = d?.thresholdBytes ?? 0;
  const total = d?.page?.total ?? top.length;

  const columns: Column<TableRow>[] = [
    {
      id: "table",
      header: "table",
      width: "minmax(18rem, 1.5fr)",
      cell: (r) => (
        <span className="flex min-w-0 items-center gap-1">
          <button type="button" onClick={() => onSelect(key(r))} className={cx("min-w-0 truncate font-mono text-xs", LINK)} title="Show size history">
            {key(r)}
          </button>
          {r.isPartitioned ? <Badge tone="info">partitioned · {partitionsOf.get(key(r))?.length ?? 0}</Badge> : null}
          {likelyNeedsIndex(r) ? (
            <Badge tone="warn" title="Large table read mostly by sequential scans">
              likely needs an index
            </Badge>
          ) : null}
        </span>
      ),
      sort: key,
    },
    {
      id: "scans",
      header: "seq / idx scans",
      width: "9rem",
      align: "right",
      cell: (r) => (
        <span>
          <Value value={r.seqScan} kind="count" /> / {r.idxScan === null ? <span title="no index on this table" className="text-slate-500 dark:text-slate-400">no index</span> : <Value value={r.idxScan} kind="count" />}
        </span>
      ),
      sort: (r) => r.seqScan,
      csv: (r) => `${r.seqScan ?? ""}/${r.idxScan ?? ""}`,
    },
    { id: "ins", header: "ins/s", width: "5rem", align: "right", cell: (r) => <Value value={r.insPerSecond} kind="rate" />, sort: (r) => r.insPerSecond },
    { id: "upd", header: "upd/s", width: "5rem", align: "right", cell: (r) => <Value value={r.updPerSecond} kind="rate" />, sort: (r) => r.updPerSecond },
    { id: "del", header: "del/s", width: "5rem", align: "right", cell: (r) => <Value value={r.delPerSecond} kind="rate" />, sort: (r) => r.delPerSecond },
    { id: "live", header: "live tuples", width: "6rem", align: "right", cell: (r) => <Value value={r.nLiveTup} kind="count" />, sort: (r) => r.nLiveTup },
    {
      id: "dead",
      header: "dead tuples",
      width: "6rem",
      align: "right",
      cell: (r) => {
        const share = r.nDeadTup !== null && r.nLiveTup ? r.nDeadTup / (r.nLiveTup + r.nDeadTup) : null;
        return <Value value={r.nDeadTup} kind="count" className={share !== null && share > 0.2 ? cx("font-semibold", TONE_TEXT.warn) : undefined} />;
      },
      sort: (r) => r.nDeadTup,
    },
    maintenanceColumn("vacuum", "last vacuum / auto", (r) => [r.lastVacuum, r.lastAutovacuum], now),
    maintenanceColumn("analyze", "last analyze / auto", (r) => [r.lastAnalyze, r.lastAutoanalyze], now),
    {
      id: "size",
      header: "size: heap · indexes · toast",
      width: "11rem",
      cell: (r) =>
        r.sizeUnavailable ? (
          <span className={cx("text-xs", TONE_TEXT.warn)} title="The size could not be read at sample time">
            size unavailable: {r.sizeUnavailable}
          </span>
        ) : (
          <SizeBar heap={r.tableBytes} indexes={r.indexBytes} toast={r.toastBytes} total={r.totalBytes} threshold={threshold} />
        ),
      sort: (r) => r.totalBytes,
    },
    { id: "growth", header: "growth", width: "7rem", align: "right", cell: (r) => <Value value={r.growthBytesPerDay} kind="bytesPerDay" />, sort: (r) => r.growthBytesPerDay },
    {
      id: "crosses",
      header: "crosses threshold",
      width: "8rem",
      cell: (r) =>
        r.daysToThreshold === 0 ? (
          <Badge tone="bad">over</Badge>
        ) : r.crossesAt ? (
          <Time iso={r.crossesAt}>
            {formatDate(r.crossesAt)} <span className="text-xs text-slate-500 dark:text-slate-400">({Math.round(r.daysToThreshold ?? 0)} d)</span>
          </Time>
        ) : (
          <span className="text-slate-500 dark:text-slate-400" title="Not growing, or not enough history to project">
            —
          </span>
        ),
      sort: (r) => r.daysToThreshold,
      csv: (r) => r.crossesAt,
    },
    {
      id: "nextPartition",
      header: "next month",
      width: "6rem",
      cell: (r) =>
        r.nextMonthPartitionExists === null ? null : r.nextMonthPartitionExists ? (
          <span className={TONE_TEXT.good} title="Next month's partition exists">
            ✓ exists
          </span>
        ) : (
          <span className={cx("font-semibold", TONE_TEXT.bad)} title="Next month's partition is missing: inserts for next month will fail">
            ✗ missing
          </span>
        ),
      csv: (r) => r.nextMonthPartitionExists,
    },
  ];

  return (
    <Panel
      testId="panel-tables"
      title="Tables"
      subtitle={
        d
          ? `${d.source === "performance_metrics" ? "from the performance_metrics view" : "from pg_stat_user_tables"} · ${d.ratesNote ?? "rates over the selected range"} · size threshold ${formatBytes(d.thresholdBytes)}${d.thresholdIsDemo ? " (lowered for the demo)" : ""}`
          : undefined
      }
      state={state}
      error={res.error}
      takenAt={d?.takenAt}
      unavailable={d?.unavailable}
    >
      {d?.thresholdIsDemo ? (
        <p data-testid="threshold-demo-note" className={cx("mb-2 rounded px-2 py-1 text-xs", TONE_NOTE.info)}>
          Demo: the table size threshold is {formatBytes(d.thresholdBytes)} instead of the production default (10 GB), so the demo tables can cross it.
        </p>
      ) : null}
      <DataTable
        label="Tables"
        rows={top}
        columns={columns}
        rowKey={key}
        rowTestId={(r) => `table-row-${key(r)}`}
        rowClassName={(r) => (key(r) === selected ? MARK.selected : undefined)}
        hasDetail={(r) => r.isPartitioned}
        detail={(r) => <Partitions rows={partitionsOf.get(key(r)) ?? []} threshold={threshold} />}
        sort={{ id: params.sort, dir: params.dir }}
        onSortChange={(s) => onChange({ sort: s.id as TableSort, dir: s.dir, page: 1 })}
        csvName={`tables-${targetId}`}
        server={{
          total,
          csvHref: tablesListUrl(targetId, range, { ...list, page: undefined, format: "csv" }),
          pager: <Pager label="Tables" page={params.page} pageSize={LIST_PAGE_SIZE} total={total} onPage={(page) => onChange({ page })} />,
        }}
        maxHeight="36rem"
        toolbar={<FilterInput placeholder="filter tables" aria-label="Filter tables" value={params.q} onFilter={(q) => onChange({ q, page: 1 })} className="w-56" />}
      />
    </Panel>
  );
}

function Partitions({ rows, threshold }: { rows: TableRow[]; threshold: number }) {
  if (rows.length === 0) return <p className="text-xs text-slate-500 dark:text-slate-400">No partitions listed.</p>;
  return (
    <table className="text-xs" data-testid="partitions">
      <tbody>
        {[...rows]
          .sort((a, b) => a.table.localeCompare(b.table))
          .map((p) => (
            <tr key={p.table}>
              <td className="pr-3 font-mono">
                {p.schema}.{p.table}
              </td>
              <td className="pr-3">
                <SizeBar heap={p.tableBytes} indexes={p.indexBytes} toast={p.toastBytes} total={p.totalBytes} threshold={threshold} />
              </td>
              <td className="pr-3">
                seq <Value value={p.seqScan} kind="count" /> / idx <Value value={p.idxScan} kind="count" />
              </td>
              <td>
                live <Value value={p.nLiveTup} kind="count" /> · dead <Value value={p.nDeadTup} kind="count" />
              </td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

/** The last manual and the last automatic run of a maintenance task; sorted by the later one. */
function maintenanceColumn(id: string, header: string, runs: (r: TableRow) => [string | null, string | null], now: number): Column<TableRow> {
  return {
    id,
    header,
    width: "11rem",
    cell: (r) => {
      const [manual, auto] = runs(r);
      return (
        <span className="text-xs">
          <Time iso={manual}>{formatAgo(manual, now)}</Time> / <Time iso={auto}>{formatAgo(auto, now)}</Time>
        </span>
      );
    },
    sort: (r) => maxIso(...runs(r)),
    csv: (r) => runs(r).map((t) => t ?? "").join(" / "),
  };
}

function maxIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) > Date.parse(b) ? a : b;
}
