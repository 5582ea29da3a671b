import { windowHitRatio } from "@/lib/analysis/counters";
import type { Observation, Rule } from "../types";
import { num, str, type Row } from "./values";

// db_stats rows → xid_wraparound and cache_hit_ratio, one alert per database.

export function xidWraparoundObservations(rows: Row[], _rule: Rule): Observation[] {
  return rows.flatMap((r) => {
    const db = str(r.datname);
    return db ? [{ objectKey: `db:${db}`, value: num(r.xid_age), labels: { database: db }, details: {} }] : [];
  });
}

interface BlockSample {
  ts: number;
  hit: number | null;
  read: number | null;
  reset: number | null;
}

/**
 * The cache hit ratio must come from deltas over a window (lifetime ratios hide the present), so
 * the engine keeps recent db_stats block counters in memory per target and database.
 */
export function createCacheWindows() {
  const buffers = new Map<string, BlockSample[]>();
  const key = (targetId: string, db: string) => `${targetId}\u0000${db}`;

  return {
    /** Records one db_stats result. `keepMs`: the longest window any rule asks for. */
    add(targetId: string, ts: number, rows: Row[], keepMs: number): void {
      for (const r of rows) {
        const db = str(r.datname);
        if (!db) continue;
        const k = key(targetId, db);
        const buf = buffers.get(k) ?? [];
        if (buf.length && buf[buf.length - 1].ts >= ts) continue; // a replayed or out-of-order sample
        buf.push({ ts, hit: num(r.blks_hit), read: num(r.blks_read), reset: num(r.stats_reset_epoch) });
        // Keep one sample older than the window: it anchors the first delta inside it.
        while (buf.length > 2 && buf[1].ts <= ts - keepMs) buf.shift();
        buffers.set(k, buf);
      }
    },
    observations(targetId: string, now: number, rows: Row[], rule: Rule): Observation[] {
      return rows.flatMap((r) => {
        const db = str(r.datname);
        if (!db) return [];
        const all = buffers.get(key(targetId, db)) ?? [];
        const from = now - rule.windowSeconds * 1000;
        const anchor = all.findLastIndex((s) => s.ts <= from);
        const samples = all.slice(Math.max(0, anchor));
        const w = windowHitRatio(samples, rule.minBlockAccesses);
        return [
          {
            objectKey: `db:${db}`,
            // Below the access floor the ratio is noise: null, so the state is held.
            value: w.ratio === null ? null : w.ratio * 100,
            labels: { database: db },
            details: { accesses: w.accesses, gaps: w.gaps, windowSeconds: rule.windowSeconds, samples: samples.length },
          },
        ];
      });
    },
    forget(targetId: string): void {
      for (const k of buffers.keys()) if (k.startsWith(`${targetId}\u0000`)) buffers.delete(k);
    },
  };
}

