import { z } from "zod";

// Server-side paging, sorting and filtering of the per-object lists (tables, indexes): one
// query schema and one pure pager, shared by the route (which answers a page) and the page
// (which asks for what it shows). A list of 2,000 tables is megabytes; a page is kilobytes.

/** The most rows one page may ask for. */
export const PAGE_MAX = 500;

export type SortValue = number | string | null;

/**
 * The query a list route accepts, with the sort keys it knows. `limit` absent: every row (the
 * answer as before paging existed). `format=csv` streams every row matching `q`, sorted.
 */
export function pageQuerySchema<K extends string>(sortKeys: readonly [K, ...K[]], defaultSort: K) {
  return z.object({
    limit: z.coerce.number().int().min(1).max(PAGE_MAX).optional(),
    offset: z.coerce.number().int().min(0).default(0),
    sort: z.enum(sortKeys).default(defaultSort),
    dir: z.enum(["asc", "desc"]).default("desc"),
    q: z.string().trim().max(200).optional(),
    format: z.enum(["json", "csv"]).default("json"),
  });
}

export interface PageQuery<K extends string> {
  limit?: number;
  offset: number;
  sort: K;
  dir: "asc" | "desc";
  q?: string;
}

/** What a page answer says about itself: rows matching `q`, and the slice answered. */
export const pageInfoSchema = z.object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int().nullable() });
export type PageInfo = z.infer<typeof pageInfoSchema>;

/** null sorts last in either direction: a missing figure is not a small one. */
function compare(a: SortValue, b: SortValue, dir: 1 | -1): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === "string" || typeof b === "string") return String(a).localeCompare(String(b)) * dir;
  return (a - b) * dir;
}

/** Rows matching `q` (case-insensitive substring of `text(row)`), sorted by `q.sort`; ties by text. */
export function filterAndSort<R, K extends string>(rows: readonly R[], q: PageQuery<K>, text: (r: R) => string, sortBy: Record<K, (r: R) => SortValue>): R[] {
  const needle = q.q?.toLowerCase() || null;
  const key = sortBy[q.sort];
  const dir = q.dir === "asc" ? 1 : -1;
  return rows
    .filter((r) => needle === null || text(r).toLowerCase().includes(needle))
    .map((r) => ({ r, k: key(r), t: text(r) }))
    .sort((a, b) => compare(a.k, b.k, dir) || a.t.localeCompare(b.t))
    .map((x) => x.r);
}

/** The slice a page shows, and what it says about itself. */
export function slicePage<R>(rows: readonly R[], q: { limit?: number; offset: number }): { rows: R[]; page: PageInfo } {
  const end = q.limit === undefined ? undefined : q.offset + q.limit;
  return { rows: rows.slice(q.offset, end), page: { total: rows.length, offset: q.offset, limit: q.limit ?? null } };
}
