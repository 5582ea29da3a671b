import "server-only";
import type { Pool } from "pg";
import { z } from "zod";
import { many } from "@/lib/db/query";

// One fingerprint's examples and mean duration per bucket, read from the history store's slow
// query events (the Store interface groups across fingerprints; a detail page needs one).

export interface FingerprintEvents {
  examples: Array<{ query: string; capturedAt: Date; durationMs: number; source: string }>;
  meanMs: Array<[string, number | null]>;
}

const exampleRow = z.object({ query: z.string(), captured_at: z.date(), duration_ms: z.number(), source: z.string() });
const bucketRow = z.object({ b: z.number(), mean_ms: z.number() });

export async function fingerprintEvents(pool: Pool, targetId: string, fingerprint: string, from: Date, to: Date, bucketSeconds: number, maxExamples = 10): Promise<FingerprintEvents> {
  const stepMs = bucketSeconds * 1000;
  const start = Math.floor(from.getTime() / stepMs) * stepMs;
  const [examples, buckets] = await Promise.all([
    // The slowest distinct texts first: the example a DBA wants to EXPLAIN.
    many(
      pool,
      exampleRow,
      `SELECT * FROM (
         SELECT DISTINCT ON (query) query, captured_at, duration_ms, source
           FROM pgpulse.slow_query_events
          WHERE target_id = $1 AND fingerprint = $2 AND captured_at >= $3 AND captured_at < $4
          ORDER BY query, duration_ms DESC
       ) d ORDER BY duration_ms DESC LIMIT $5`,
      [targetId, fingerprint, from, to, maxExamples],
      "fingerprint examples",
    ),
    many(
      pool,
      bucketRow,
      `SELECT (floor((extract(epoch FROM captured_at) * 1000 - $5::float8) / $6::float8) * $6::float8 + $5::float8)::float8 AS b,
              avg(duration_ms)::float8 AS mean_ms
         FROM pgpulse.slow_query_events
        WHERE target_id = $1 AND fingerprint = $2 AND captured_at >= $3 AND captured_at < $4
        GROUP BY 1 ORDER BY 1`,
      [targetId, fingerprint, from, to, start, stepMs],
      "fingerprint mean per bucket",
    ),
  ]);
  const byBucket = new Map(buckets.map((r) => [r.b, r.mean_ms]));
  const meanMs: Array<[string, number | null]> = [];
  // A bucket without events has no mean: null, not 0.
  for (let t = start; t < to.getTime(); t += stepMs) meanMs.push([new Date(t).toISOString(), byBucket.get(t) ?? null]);
  return {
    examples: examples.map((r) => ({ query: r.query, capturedAt: r.captured_at, durationMs: r.duration_ms, source: r.source })),
    meanMs,
  };
}
