import { windowHitRatio } from "@/lib/analysis/counters";
import type { Observation, Rule } from "../types";
import { num, str, type Row } from "./values";
import { createSampleBuffers, type SampleWindows } from "./windows";

// db_stats rows → xid_wraparound and cache_hit_ratio, one alert per database.

export function xidWraparoundObservations(rows: Row[], _rule: Rule): Observation[] {
  return rows.flatMap((r) => {
    const db = str(r.datname);
    return db ? [{ objectKey: `db:${db}`, value: num(r.xid_age), labels: { database: db }, details: {} }] : [];
  });
}

/**
 * The cache hit ratio must come from deltas over a window (lifetime ratios hide the present):
 * db_stats block counters per target and database.
 */
export function createCacheWindows(): SampleWindows {
  const buffers = createSampleBuffers(
    (r) => str(r.datname),
    (r, ts) => ({ ts, hit: num(r.blks_hit), read: num(r.blks_read), reset: num(r.stats_reset_epoch) }),
  );
  return {
    add: buffers.add,
    observations(targetId: string, now: number, rows: Row[], rule: Rule): Observation[] {
      return rows.flatMap((r) => {
        const db = str(r.datname);
        if (!db) return [];
        const samples = buffers.window(targetId, db, now, rule.windowSeconds);
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
  };
}
