import type { Observation, Rule } from "../types";
import type { Row } from "./values";

/**
 * Rules on counters need deltas over a window (lifetime totals hide the present), so the engine
 * keeps recent samples in memory per target and object. After a restart a window has too few
 * samples for a value and the rule holds its state until it fills again.
 */
export interface SampleWindows {
  /**
   * Records one result. `keepMs`: the longest window the rule asks for. `metric`: which metric
   * the rows come from, for a rule fed by more than one (archive_stale: wal and archiver).
   */
  add(targetId: string, ts: number, rows: Row[], keepMs: number, metric: string): void;
  observations(targetId: string, now: number, rows: Row[], rule: Rule, metric: string): Observation[];
}

export function createSampleBuffers<S extends { ts: number }>(keyOf: (r: Row) => string | null, pick: (r: Row, ts: number) => S) {
  const buffers = new Map<string, S[]>();
  const key = (targetId: string, object: string) => `${targetId}\u0000${object}`;
  return {
    add(targetId: string, ts: number, rows: Row[], keepMs: number): void {
      for (const r of rows) {
        const object = keyOf(r);
        if (object === null) continue;
        const k = key(targetId, object);
        const buf = buffers.get(k) ?? [];
        if (buf.length && buf[buf.length - 1].ts >= ts) continue; // a replayed or out-of-order sample
        buf.push(pick(r, ts));
        // Keep one sample older than the window: it anchors the first delta inside it.
        while (buf.length > 2 && buf[1].ts <= ts - keepMs) buf.shift();
        buffers.set(k, buf);
      }
    },
    /** The samples of the last `windowSeconds`, with the anchor before them. */
    window(targetId: string, object: string, now: number, windowSeconds: number): S[] {
      const all = buffers.get(key(targetId, object)) ?? [];
      const anchor = all.findLastIndex((s) => s.ts <= now - windowSeconds * 1000);
      return all.slice(Math.max(0, anchor));
    },
  };
}
