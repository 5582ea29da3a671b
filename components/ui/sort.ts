export type SortDir = "asc" | "desc";
export type SortValue = number | string | boolean | null | undefined;

/** Sorts by a key; unknown values go last in both directions (unknown is not smallest). */
export function sortRows<T>(rows: readonly T[], key: ((row: T) => SortValue) | undefined, dir: SortDir): T[] {
  if (!key) return [...rows];
  const sign = dir === "asc" ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: key(row) }))
    .sort((a, b) => {
      const an = a.v === null || a.v === undefined || (typeof a.v === "number" && Number.isNaN(a.v));
      const bn = b.v === null || b.v === undefined || (typeof b.v === "number" && Number.isNaN(b.v));
      if (an || bn) return an === bn ? a.i - b.i : an ? 1 : -1;
      const av = typeof a.v === "boolean" ? Number(a.v) : a.v!;
      const bv = typeof b.v === "boolean" ? Number(b.v) : b.v!;
      const c = typeof av === "string" && typeof bv === "string" ? av.localeCompare(bv) : av < bv ? -1 : av > bv ? 1 : 0;
      return c * sign || a.i - b.i;
    })
    .map((x) => x.row);
}
