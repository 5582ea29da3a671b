import "server-only";
import { INDEX_SORT, indexRowSchema, type IndexesResponse, type IndexRow, type IndexSort } from "@/lib/api/indexes";
import { filterAndSort, slicePage, type PageQuery } from "@/lib/api/paging";
import { TABLE_SORT, tableRowSchema, type TableRow, type TableSort, type TablesResponse } from "@/lib/api/tables";

// Pages of the tables and indexes lists, cut from the whole list (built once per snapshot,
// answer-cache.ts): filtered by q, sorted by a column's key, sliced. The page matches what the
// page used to do in the browser, so the figures and the order are the same.

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

export function indexesPage(full: IndexesResponse, q: PageQuery<IndexSort>): IndexesResponse {
  const { rows, page } = slicePage(allIndexes(full, q), q);
  return { ...full, rows, page };
}

export const allIndexes = (full: IndexesResponse, q: PageQuery<IndexSort>) => filterAndSort(full.rows, q, indexText, INDEX_SORT);

/** CSV columns: every field of the row contract, in its order. */
export const TABLE_CSV_COLUMNS = Object.keys(tableRowSchema.shape) as (keyof TableRow)[];
export const INDEX_CSV_COLUMNS = Object.keys(indexRowSchema.shape) as (keyof IndexRow)[];
