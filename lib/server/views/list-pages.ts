import "server-only";
import { INDEX_SORT, indexRowSchema, type IndexesResponse, type IndexRow, type IndexSort } from "@/lib/api/indexes";
import type { IndexFlag } from "@/lib/api/list-sorts";
import { processWide } from "@/lib/process-wide";
import { boundedAnswers } from "./bounded-answers";
import { filterAndSort, slicePage, type PageQuery } from "@/lib/api/paging";
import { TABLE_SORT, tableRowSchema, type TableRow, type TableSort, type TablesResponse } from "@/lib/api/tables";

// Pages of the tables and indexes lists, cut from the whole list (built once per snapshot,
// answer-cache.ts): filtered by q, sorted by a column's key, sliced. The page matches what the
// page used to do in the browser, so the figures and the order are the same.

/**
 * Pages already cut and serialized, per snapshot version and query: 100 viewers of the first
 * page share one. Bounded: a page is tens of kB; 16 MB holds hundreds of distinct pages.
 */
export const pageAnswers = processWide("pageAnswers", () => boundedAnswers(16 * 1024 * 1024));

/** The cache key of a page: every parameter that shapes it, normalized by the query schema. */
export const pageKey = (base: string, q: PageQuery<string> & { flag?: string }) => [base, q.sort, q.dir, q.offset, q.limit ?? "", q.flag ?? "", q.q ?? ""].join("\u0000");

const tableText = (r: Pick<TableRow, "schema" | "table">) => `${r.schema}.${r.table}`;
const parentText = (r: TableRow) => (r.parent!.includes(".") ? r.parent! : `${r.schema}.${r.parent}`);
const indexText = (r: IndexRow) => `${r.schema}.${r.index} ${r.table}`;

/** Top-level tables matching q, sorted; partitions follow the parents on the page (the page groups them). */
export function tablesPage(full: TablesResponse, q: PageQuery<TableSort>): TablesResponse {
  const top = filterAndSort(
    full.rows.filter((r) => r.parent === null),
    q,
    tableText,
    TABLE_SORT,
  );
  const { rows, page } = slicePage(top, q);
  const shown = new Set(rows.map(tableText));
  return { ...full, rows: [...rows, ...full.rows.filter((r) => r.parent !== null && shown.has(parentText(r)))], page };
}

/** Every table matching q (partitions too, by their own name), sorted: the CSV export. */
export const allTables = (full: TablesResponse, q: PageQuery<TableSort>) => filterAndSort(full.rows, q, tableText, TABLE_SORT);

type IndexesQuery = PageQuery<IndexSort> & { flag: IndexFlag };

export function indexesPage(full: IndexesResponse, q: IndexesQuery): IndexesResponse {
  const { rows, page } = slicePage(allIndexes(full, q), q);
  return { ...full, rows, page };
}

/** What each flag keeps; "bloated" is over the threshold the answer states. */
const FLAGGED: Record<IndexFlag, (r: IndexRow, full: IndexesResponse) => boolean> = {
  all: () => true,
  unused: (r) => r.unused,
  duplicate: (r) => r.duplicateOf !== null,
  bloated: (r, full) => r.bloatPercent !== null && r.bloatPercent > full.bloatThresholdPercent,
};

export const allIndexes = (full: IndexesResponse, q: IndexesQuery) =>
  filterAndSort(
    full.rows.filter((r) => FLAGGED[q.flag](r, full)),
    q,
    indexText,
    INDEX_SORT,
  );

/** CSV columns: every field of the row contract, in its order. */
export const TABLE_CSV_COLUMNS = Object.keys(tableRowSchema.shape) as (keyof TableRow)[];
export const INDEX_CSV_COLUMNS = Object.keys(indexRowSchema.shape) as (keyof IndexRow)[];
