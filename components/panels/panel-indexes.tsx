"use client";

import { Badge } from "@/components/ui/badge";
import { CopyBox } from "@/components/ui/copy-box";
import { cx } from "@/components/ui/cx";
import { DataTable, type Column } from "@/components/ui/data-table";
import { TONE_NOTE, TONE_TEXT } from "@/components/ui/palette";
import { Pager } from "@/components/ui/pager";
import { FilterInput } from "@/components/ui/filter-input";
import { Select } from "@/components/ui/select";
import { Value } from "@/components/ui/value";
import { bloatReliabilityText, indexAdvice } from "@/lib/analysis/index-advice";
import type { IndexRow } from "@/lib/api/indexes";
import { INDEX_FLAGS, LIST_PAGE_SIZE, type IndexFlag, type IndexSort } from "@/lib/api/list-sorts";
import type { TablesParams } from "@/lib/api/search-params";
import { indexesUrl } from "@/lib/api/urls";
import { formatAgo } from "@/lib/format/time";
import { REFRESH_MS } from "@/lib/limits";
import { Panel } from "./panel";
import { useIndexes } from "./queries";
import { usePanelState } from "./use-panel-state";

// Indexes with their size, use, bloat (with where the figure comes from and whether to trust
// it), and for the ones worth acting on the statement a DBA would run.

export function PanelIndexes({
  targetId,
  params,
  onChange,
}: {
  targetId: string;
  params: Pick<TablesParams, "q" | "flag" | "sort" | "dir" | "page">;
  onChange: (p: Partial<TablesParams>) => void;
}) {
  const { q, flag } = params;
  // The server filters (q, flag), sorts and pages; the panel shows what it answers.
  const list = { sort: params.sort as IndexSort, dir: params.dir, q, flag, page: { limit: LIST_PAGE_SIZE, offset: (params.page - 1) * LIST_PAGE_SIZE } };
  const res = useIndexes(targetId, list);
  const d = res.data;
  const { state, now } = usePanelState(res, {
    everyMs: 5000,
    sampled: { takenAt: d?.takenAt ?? null, cadenceMs: d?.cadenceMs ?? 0, slackMs: REFRESH_MS.tables },
  });
  const threshold = d?.bloatThresholdPercent ?? 30;
  const minBytes = d?.minIndexBytes ?? 0;
  const rows = d?.rows ?? [];
  const total = d?.page?.total ?? rows.length;

  const columns: Column<IndexRow>[] = [
    {
      id: "index",
      header: "index",
      width: "minmax(14rem, 1.2fr)",
      cell: (r) => (
        <span className="font-mono text-xs" title={r.definition ?? undefined}>
          {r.schema}.{r.index}
          {r.isPrimary ? <Badge className="ml-1">primary</Badge> : r.isUnique ? <Badge className="ml-1">unique</Badge> : null}
          {!r.valid ? <Badge tone="bad" className="ml-1">invalid</Badge> : null}
        </span>
      ),
      sort: (r) => `${r.schema}.${r.index}`,
    },
    { id: "table", header: "table", width: "10rem", cell: (r) => <span className="font-mono text-xs">{r.table}</span>, sort: (r) => r.table },
    { id: "size", header: "size", width: "6rem", align: "right", cell: (r) => <Value value={r.sizeBytes} kind="bytes" />, sort: (r) => r.sizeBytes },
    { id: "scans", header: "scans", width: "6rem", align: "right", cell: (r) => <Value value={r.idxScan} kind="count" />, sort: (r) => r.idxScan },
    {
      id: "bloat",
      header: "bloat",
      width: "5rem",
      align: "right",
      cell: (r) => (
        <Value
          value={r.bloatPercent}
          kind="percent"
          className={r.bloatPercent !== null && r.bloatPercent > threshold ? (r.bloatSource === "exact" || r.reliable ? cx("font-semibold", TONE_TEXT.bad) : TONE_TEXT.warn) : undefined}
        />
      ),
      sort: (r) => r.bloatPercent,
    },
    {
      id: "source",
      header: "bloat source",
      width: "minmax(11rem, 0.8fr)",
      wrap: true,
      cell: (r) => (
        <span className="text-xs" title={bloatReliabilityText(r)} data-bloat-source={r.bloatSource ?? "none"} data-reliable={r.reliable === null ? "unknown" : String(r.reliable)}>
          {bloatReliabilityText(r)}
          {r.bloatMeasuredAt ? <span className="text-slate-500 dark:text-slate-400"> · {formatAgo(r.bloatMeasuredAt, now)}</span> : null}
        </span>
      ),
      csv: (r) => bloatReliabilityText(r),
    },
    {
      id: "flags",
      header: "flags",
      width: "9rem",
      wrap: true,
      cell: (r) => (
        <span className="flex flex-wrap gap-1">
          {r.unused ? <Badge tone="warn">unused</Badge> : null}
          {r.duplicateOf ? <Badge tone="warn" title={`duplicate of ${r.duplicateOf}`}>duplicate</Badge> : null}
        </span>
      ),
      csv: (r) => [r.unused ? "unused" : "", r.duplicateOf ? `duplicate of ${r.duplicateOf}` : ""].filter(Boolean).join("; "),
    },
    {
      id: "fix",
      header: "what to run (not run by pgpulse)",
      width: "minmax(22rem, 1.5fr)",
      wrap: true,
      cell: (r) => {
        const advice = indexAdvice(r, threshold, minBytes);
        if (advice.length === 0) return null;
        return (
          <div className="space-y-1 py-1 whitespace-normal">
            {advice.map((a) => (
              <div key={a.kind}>
                <div className="text-xs text-slate-500 dark:text-slate-400">{a.reason}</div>
                <CopyBox text={a.sql} label={`${a.kind} SQL for ${r.index}`} testId={`fix-${a.kind}-${r.schema}.${r.index}`} />
              </div>
            ))}
          </div>
        );
      },
      csv: (r) => indexAdvice(r, threshold, minBytes).map((a) => a.sql).join(" "),
    },
  ];

  return (
    <Panel
      testId="panel-indexes"
      title="Indexes"
      subtitle={d ? `bloat threshold ${threshold} % on indexes of at least ${Math.round(minBytes / 1024 / 1024)} MB${d.statsResetAt ? ` · scans counted since ${d.statsResetAt.slice(0, 10)}` : ""}` : undefined}
      state={state}
      error={res.error}
      takenAt={d?.takenAt}
      unavailable={d?.unavailable}
    >
      {d?.bloatUnavailable ? <p className={cx("mb-2 rounded px-2 py-1 text-xs", TONE_NOTE.warn)}>Bloat figures unavailable: {d.bloatUnavailable}</p> : null}
      <DataTable
        label="Indexes"
        rows={rows}
        columns={columns}
        rowKey={(r) => `${r.schema}.${r.index}`}
        rowTestId={(r) => `index-row-${r.schema}.${r.index}`}
        sort={{ id: params.sort, dir: params.dir }}
        onSortChange={(s) => onChange({ sort: s.id as IndexSort, dir: s.dir, page: 1 })}
        csvName={`indexes-${targetId}`}
        server={{
          total,
          csvHref: indexesUrl(targetId, { ...list, page: undefined, format: "csv" }),
          pager: <Pager label="Indexes" page={params.page} pageSize={LIST_PAGE_SIZE} total={total} onPage={(page) => onChange({ page })} />,
        }}
        maxHeight="40rem"
        toolbar={
          <>
            <Select value={flag} onChange={(e) => onChange({ flag: e.target.value as IndexFlag, page: 1 })} aria-label="Show indexes" data-testid="filter-index-flag">
              {INDEX_FLAGS.map((f) => (
                <option key={f} value={f}>
                  {f === "all" ? "all indexes" : f}
                </option>
              ))}
            </Select>
            <FilterInput placeholder="filter indexes" aria-label="Filter indexes" value={q} onFilter={(q) => onChange({ q, page: 1 })} className="w-56" />
          </>
        }
      />
    </Panel>
  );
}
