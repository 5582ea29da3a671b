// Answers for finished weeks, kept in memory. A finished week's figures come from history that
// no longer grows (hour rollups, row history sets, events of that week), so recomputing them on
// every request only costs the store reads. The current week is never cached, and the caller's key
// holds a signature of the week's history (weekHistorySignature), so rows added later make a new
// key. Entries expire after `ttlMs` anyway, for what a signature cannot see (an hour rollup
// recomputed in place after a late flush). Concurrent requests for the same key share one build.

export interface FinishedWeekCache<T> {
  get(key: string, now: number, build: () => Promise<T>): Promise<T>;
  size(): number;
}

export function createFinishedWeekCache<T>(opts: { ttlMs?: number; max?: number } = {}): FinishedWeekCache<T> {
  const ttl = opts.ttlMs ?? 3_600_000;
  const max = opts.max ?? 64;
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get(key, now, build) {
      const hit = entries.get(key);
      if (hit && now - hit.at < ttl) return hit.value;
      entries.delete(key);
      const value = build();
      entries.set(key, { at: now, value });
      // A failed build is not kept: the next request tries again.
      value.catch(() => entries.get(key)?.value === value && entries.delete(key));
      while (entries.size > max) entries.delete(entries.keys().next().value!);
      return value;
    },
    size: () => entries.size,
  };
}
