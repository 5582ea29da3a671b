"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef, useState, type ReactNode } from "react";
import type { CsvColumn } from "@/lib/format/csv";
import { buttonClass } from "./button";
import { CsvButton } from "./csv-button";
import { cx } from "./cx";
import { TONE_TEXT } from "./palette";
import { sortRows, type SortDir, type SortValue } from "./sort";
import { NARROW_SCREEN, useMediaQuery } from "./use-media-query";

// A dense, sortable, virtualized grid: comfortable with thousands of rows because only the
// visible ones are in the DOM. Rows may expand (query text, fix SQL); heights are measured.
// On a phone each row becomes a card (first column as its heading, every other column as a
// labelled figure), so nothing needs a sideways scroll. On a wide screen the first column (the
// name) stays in view while the rest scroll, and figures wrap rather than being cut.

export interface Column<T> {
  id: string;
  header: string;
  /** A CSS grid track: "5rem", "minmax(14rem, 1fr)". */
  width: string;
  cell: (row: T) => ReactNode;
  sort?: (row: T) => SortValue;
  /** CSV value; defaults to the sort value. Omit both to leave the column out of the CSV. */
  csv?: (row: T) => string | number | boolean | null | undefined;
  align?: "right";
  title?: string;
  /** Let the cell wrap instead of truncating (long SQL, badges). */
  wrap?: boolean;
}

export interface SortState {
  id: string;
  dir: SortDir;
}

export function DataTable<T>({
  rows,
  columns,
  rowKey,
  rowTestId,
  rowClassName,
  detail,
  hasDetail,
  sort: controlledSort,
  onSortChange,
  defaultSort,
  csvName,
  server,
  toolbar,
  maxHeight = "70vh",
  fill = false,
  label,
  testId,
}: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  rowTestId?: (row: T) => string;
  rowClassName?: (row: T) => string | undefined;
  /** Expanded content under a row, shown when the row is toggled open. */
  detail?: (row: T) => ReactNode;
  /** Which rows can expand (all, when omitted). */
  hasDetail?: (row: T) => boolean;
  sort?: SortState;
  onSortChange?: (s: SortState) => void;
  defaultSort?: SortState;
  csvName?: string;
  /**
   * The rows are one page the server sorted (by `sort`): shown in its order, with the count of
   * every matching row, and the CSV comes from the server (every matching row, not the page).
   */
  server?: { total: number; csvHref: string; pager: ReactNode };
  toolbar?: ReactNode;
  maxHeight?: string;
  /**
   * Fill what is left of a flex column of fixed height instead of growing with the rows up to
   * `maxHeight`: the rows scroll in a box whose size never depends on their number.
   */
  fill?: boolean;
  label: string;
  testId?: string;
}) {
  const [ownSort, setOwnSort] = useState<SortState | undefined>(defaultSort);
  const sort = controlledSort ?? ownSort;
  const setSort = (s: SortState) => (onSortChange ? onSortChange(s) : setOwnSort(s));
  const [open, setOpen] = useState<Set<string>>(() => new Set());

  const sorted = useMemo(() => {
    if (server) return rows;
    const col = columns.find((c) => c.id === sort?.id);
    return sortRows(rows, col?.sort, sort?.dir ?? "desc");
  }, [rows, columns, sort, server]);

  const csvColumns = useMemo<CsvColumn<T>[]>(
    () =>
      columns
        .filter((c) => c.csv || c.sort)
        .map((c) => ({ header: c.header || c.id, value: (r: T) => (c.csv ? c.csv(r) : c.sort!(r)) })),
    [columns],
  );

  const narrow = useMediaQuery(NARROW_SCREEN);
  const template = columns.map((c) => c.width).join(" ");
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual hands back functions that change on every render, so React's compiler skips
  // this component; it is hand-memoised where it matters (the sorted rows above).
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: sorted.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => (narrow ? 120 : 32),
    overscan: 12,
    initialRect: { width: 1200, height: 800 },
    getItemKey: (i) => rowKey(sorted[i]),
  });

  const toggle = (k: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(k)) next.delete(k);
      else next.add(k);
      return next;
    });

  const scrollBox = fill ? { className: "min-h-0 flex-1", style: undefined } : { className: "", style: { maxHeight } };
  return (
    <div data-testid={testId} className={fill ? "flex min-h-0 flex-1 flex-col" : undefined}>
      {toolbar || csvName ? (
        <div className="mb-2 flex flex-wrap items-center gap-2">
          {toolbar}
          {narrow ? <SortSelect columns={columns} sort={sort} onChange={setSort} /> : null}
          <span className="ml-auto text-xs text-slate-500 dark:text-slate-400 tabular">{(server?.total ?? sorted.length).toLocaleString("en-US")} rows</span>
          {server?.pager}
          {csvName && server ? (
            <a href={server.csvHref} download className={BUTTON_LINK} data-testid={`csv-${csvName}`}>
              CSV
            </a>
          ) : csvName ? (
            <CsvButton rows={sorted} columns={csvColumns} name={csvName} />
          ) : null}
        </div>
      ) : null}
      {narrow ? (
        <div ref={scrollRef} role="list" aria-label={label} className={cx("overflow-auto", scrollBox.className)} style={scrollBox.style}>
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualizer.getVirtualItems().map((vi) => {
              const row = sorted[vi.index];
              const k = rowKey(row);
              return (
                <div
                  key={vi.key}
                  ref={virtualizer.measureElement}
                  data-index={vi.index}
                  role="listitem"
                  data-testid={rowTestId?.(row)}
                  className="absolute left-0 w-full pb-2"
                  style={{ transform: `translateY(${vi.start}px)` }}
                >
                  <RowCard row={row} columns={columns} className={rowClassName?.(row)} open={open.has(k)} onToggle={detail && (hasDetail?.(row) ?? true) ? () => toggle(k) : undefined} detail={detail} />
                </div>
              );
            })}
          </div>
        </div>
      ) : (
        <div ref={scrollRef} role="table" aria-label={label} aria-rowcount={sorted.length + 1} className={cx("overflow-auto rounded border border-slate-200 dark:border-slate-800", scrollBox.className)} style={scrollBox.style}>
          <div className="min-w-max">
            <div
              role="row"
              className={cx("sticky top-0 z-10 grid border-b border-slate-200 bg-slate-100 text-xs font-semibold dark:border-slate-700 dark:bg-slate-800", TONE_TEXT.secondary)}
              style={{ gridTemplateColumns: template }}
            >
              {columns.map((c) => {
                const active = sort?.id === c.id;
                const ariaSort = active ? (sort!.dir === "asc" ? "ascending" : "descending") : c.sort ? "none" : undefined;
                return (
                  <div key={c.id} role="columnheader" aria-sort={ariaSort} className={cx("px-2 py-1.5", c.align === "right" && "text-right", c === columns[0] && STICKY_HEAD)} title={c.title}>
                    {c.sort ? (
                      <button
                        type="button"
                        className="inline-flex items-center gap-1 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-600 dark:hover:text-white"
                        onClick={() => setSort({ id: c.id, dir: active && sort!.dir === "desc" ? "asc" : "desc" })}
                      >
                        {c.header}
                        <span aria-hidden className="w-2">{active ? (sort!.dir === "asc" ? "▲" : "▼") : ""}</span>
                      </button>
                    ) : (
                      c.header
                    )}
                  </div>
                );
              })}
            </div>
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {virtualizer.getVirtualItems().map((vi) => {
                const row = sorted[vi.index];
                const k = rowKey(row);
                const isOpen = open.has(k);
                return (
                  <div
                    key={vi.key}
                    ref={virtualizer.measureElement}
                    data-index={vi.index}
                    role="row"
                    aria-rowindex={vi.index + 2}
                    data-testid={rowTestId?.(row)}
                    className={cx("absolute left-0 w-full border-b border-slate-100 text-sm dark:border-slate-800", rowClassName?.(row))}
                    style={{ transform: `translateY(${vi.start}px)` }}
                  >
                    <div className="grid items-center" style={{ gridTemplateColumns: template }}>
                      {columns.map((c, ci) => (
                        <div key={c.id} role="cell" className={cx("min-w-0 px-2 py-1", c.wrap || c.align === "right" ? "break-words" : "truncate", c.align === "right" && "text-right tabular", ci === 0 && STICKY_CELL)}>
                          {ci === 0 && detail && (hasDetail?.(row) ?? true) ? (
                            <div className="flex min-w-0 items-center">
                              <button
                                type="button"
                                aria-expanded={isOpen}
                                aria-label={isOpen ? "Collapse row" : "Expand row"}
                                onClick={() => toggle(k)}
                                className="mr-1 w-4 text-slate-500 dark:text-slate-400 focus-visible:outline-2 focus-visible:outline-sky-600"
                              >
                                {isOpen ? "▾" : "▸"}
                              </button>
                              <div className="min-w-0 flex-1">{c.cell(row)}</div>
                            </div>
                          ) : ci === 0 && detail ? (
                            <>
                              <span className="mr-1 inline-block w-4" />
                              {c.cell(row)}
                            </>
                          ) : (
                            c.cell(row)
                          )}
                        </div>
                      ))}
                    </div>
                    {isOpen && detail ? <div className="px-8 pb-2">{detail(row)}</div> : null}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

const BUTTON_LINK = buttonClass("secondary", "sm");

// The name column stays put while a wide table scrolls sideways; opaque so figures pass under it.
const STICKY_HEAD = "sticky left-0 z-10 bg-slate-100 dark:bg-slate-800";
const STICKY_CELL = "sticky left-0 z-[1] bg-white dark:bg-slate-900";

function SortSelect<T>({ columns, sort, onChange }: { columns: readonly Column<T>[]; sort: SortState | undefined; onChange: (s: SortState) => void }) {
  const sortable = columns.filter((c) => c.sort);
  if (sortable.length === 0) return null;
  return (
    <label className={cx("flex items-center gap-1 text-xs", TONE_TEXT.secondary)}>
      sort
      <select
        className="rounded border border-slate-300 bg-white px-1 py-0.5 text-xs dark:border-slate-700 dark:bg-slate-900"
        value={sort ? `${sort.id}:${sort.dir}` : ""}
        onChange={(e) => {
          const [id, dir] = e.target.value.split(":");
          if (id) onChange({ id, dir: dir === "asc" ? "asc" : "desc" });
        }}
      >
        {sort ? null : <option value="">—</option>}
        {sortable.flatMap((c) => [
          <option key={`${c.id}:desc`} value={`${c.id}:desc`}>{`${c.header || c.id} ▼`}</option>,
          <option key={`${c.id}:asc`} value={`${c.id}:asc`}>{`${c.header || c.id} ▲`}</option>,
        ])}
      </select>
    </label>
  );
}

function RowCard<T>({
  row,
  columns,
  className,
  open,
  onToggle,
  detail,
}: {
  row: T;
  columns: readonly Column<T>[];
  className: string | undefined;
  open: boolean;
  onToggle: (() => void) | undefined;
  detail: ((row: T) => ReactNode) | undefined;
}) {
  const [head, ...rest] = columns;
  return (
    <div className={cx("rounded border border-slate-200 p-2 text-sm dark:border-slate-800", className)}>
      <div className="flex min-w-0 items-start gap-1 font-medium break-words">
        {onToggle ? (
          <button type="button" aria-expanded={open} aria-label={open ? "Collapse row" : "Expand row"} onClick={onToggle} className={cx("w-4 shrink-0 focus-visible:outline-2 focus-visible:outline-sky-600", TONE_TEXT.muted)}>
            {open ? "▾" : "▸"}
          </button>
        ) : null}
        <div className="min-w-0 flex-1">{head.cell(row)}</div>
      </div>
      <dl className="mt-1 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5">
        {rest.map((c) => (
          <div key={c.id} className="contents">
            <dt className={cx("text-xs leading-5", TONE_TEXT.secondary)}>{c.header || c.id}</dt>
            <dd className="min-w-0 break-words">{c.cell(row)}</dd>
          </div>
        ))}
      </dl>
      {open && detail ? <div className="mt-2 min-w-0 overflow-x-auto">{detail(row)}</div> : null}
    </div>
  );
}
