// The sort keys of the tables and indexes lists, one per sortable column, in a module free of
// zod: the page keeps them in its URL and sends them; the routes sort by them (tables.ts,
// indexes.ts say how each key reads a row).

export const TABLE_SORT_KEYS = ["table", "scans", "ins", "upd", "del", "live", "dead", "vacuum", "analyze", "size", "growth", "crosses"] as const;
export type TableSort = (typeof TABLE_SORT_KEYS)[number];

export const INDEX_SORT_KEYS = ["index", "table", "size", "scans", "bloat"] as const;
export type IndexSort = (typeof INDEX_SORT_KEYS)[number];

/** Both lists open on the biggest first. */
export const DEFAULT_LIST_SORT = { sort: "size", dir: "desc" } as const;

/** The indexes a page can narrow to; the route filters by it before paging. */
export const INDEX_FLAGS = ["all", "unused", "duplicate", "bloated"] as const;
export type IndexFlag = (typeof INDEX_FLAGS)[number];

/** Rows per page of either list. */
export const LIST_PAGE_SIZE = 50;
