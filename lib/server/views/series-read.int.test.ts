import { describe, expect, it } from "vitest";
import { GET as seriesGET } from "@/app/api/targets/[id]/series/route";
import { seriesResponseSchema } from "@/lib/api/series";
import { PEER_HEADER } from "@/lib/auth/peer";
import type { Pgpulse } from "@/lib/server/wiring/compose";
import { ok } from "@/test/support/alerts";
import { useRouteTestRuntime } from "@/test/support/route-runtime";

// The series API never answers in buckets finer than its metric is sampled: the cache hit ratio
// comes from db_stats, taken every 15 s ± 10 % (its definition's cadence, not overridden here), so
// a chart asking for 5 s buckets (or for none: the finest the point budget allows) gets 17 s ones,
// each holding a sample, rather than one value in every third bucket drawn as lone dots (15 s
// buckets still leave one now and then between two jittered samples).
// The store holds db_stats samples of half an hour, 15 s apart with the collector's ±10 % jitter.

const ID = "cadence";
const DB = "app";
const MIN = 60_000;

describe("series steps follow the metric's cadence", () => {
  let rt: Pgpulse;
  useRouteTestRuntime({ id: ID, prefix: "cadence", intervals: {}, prepare: async () => {} }, (fx) => ({ rt } = fx));

  // An hour ago: past the live window, inside raw retention.
  const from = Math.floor((Date.now() - 90 * MIN) / MIN) * MIN;
  const to = from + 30 * MIN;

  async function feed(): Promise<void> {
    let t = from - 30_000;
    for (let i = 0; t < to + 30_000; i++) {
      // 9,900 hits and 100 reads per sample: 99 % in every bucket, over the 1,000-access floor.
      rt.store.accept(ok("db_stats", ID, t, [{ datname: DB, xact_commit: 10 * i, xact_rollback: 0, blks_hit: 1e6 + 9_900 * i, blks_read: 1e4 + 100 * i, stats_reset_epoch: 1_700_000_000 }]));
      t += 15_000 + (((i * 7919) % 3001) - 1500);
    }
    await rt.store.flush();
  }

  async function series(extra: string) {
    const url = `http://127.0.0.1/api/targets/${ID}/series?metric=cache_hit_ratio&database=${DB}&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}${extra}`;
    const res = await seriesGET(new Request(url, { headers: { [PEER_HEADER]: "127.0.0.1", host: "127.0.0.1" } }), { params: Promise.resolve({ id: ID }) });
    expect(res.status, url).toBe(200);
    return seriesResponseSchema.parse(await res.json());
  }

  it("answers 15 s buckets for a 15 s metric asked at 5 s or with no step, and a coarser step as asked", async () => {
    await feed();
    for (const extra of ["", "&step=5", "&step=15"]) {
      const r = await series(extra);
      expect(r.cadenceMs, extra).toBe(15_000);
      expect(r.step, extra).toBe(17);
      // Buckets are aligned to multiples of the step: the first and last are partly outside.
      const values = r.points.slice(1, -1).map(([, v]) => v);
      expect(values.length).toBeGreaterThanOrEqual(Math.floor((30 * MIN) / 17_000) - 1);
      // Every bucket holds a sample: a line, no gap and no lone dot.
      expect(values.filter((v) => v === null), extra).toEqual([]);
      for (const v of values) expect(v).toBeCloseTo(99, 6);
    }
    const coarse = await series("&step=60");
    expect(coarse.step).toBe(60);
    expect(coarse.points).toHaveLength(30);
  }, 60_000);
});
