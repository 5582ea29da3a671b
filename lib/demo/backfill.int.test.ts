import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { createStore } from "@/lib/store/store";
import { buildTrends } from "@/lib/trends/build";
import { backfillDemoHistory, dailyLoad } from "./backfill";

// The demo backfill writes through the store, rolls up, marks the range simulated, and never
// runs twice (nor over a target that already has history).

const NOW = new Date("2026-11-26T15:07:00Z");
let db: TestDatabase;
let sql: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase(17, "backfill");
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await db?.drop();
});

describe("demo backfill", () => {
  it("models a daily cycle with quiet nights and half-weight weekends", () => {
    expect(dailyLoad(Date.parse("2026-11-25T03:00:00Z"))).toBe(0);
    expect(dailyLoad(Date.parse("2026-11-25T14:00:00Z"))).toBeCloseTo(1, 9);
    expect(dailyLoad(Date.parse("2026-11-28T14:00:00Z"))).toBeCloseTo(0.5, 9);
  });

  it("writes a week of history that the trends page reads as simulated", async () => {
    const r = await backfillDemoHistory({ storeUrl: db.url, targetId: "default", database: "kundli_db", weeks: 1, now: NOW });
    expect(r.skipped).toBeNull();
    expect(r.from!.toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(r.to!.toISOString()).toBe("2026-11-26T15:05:00.000Z");
    const { rows } = await sql.query("SELECT target_id, from_ts, to_ts, model FROM pgpulse.simulated_ranges");
    expect(rows).toEqual([{ target_id: "default", from_ts: r.from, to_ts: r.to, model: "demo-workload-v1" }]);
    const hours = await sql.query("SELECT count(*)::int AS n FROM pgpulse.samples_1h h JOIN pgpulse.series s ON s.id = h.series_id WHERE s.name = 'db_stats.xact_commit'");
    // 10 days and 15 hours, rolled up.
    expect(hours.rows[0].n).toBe(10 * 24 + 15);

    const store = createStore({ url: db.url });
    try {
      const t = await buildTrends(store, [{ id: "default", name: "demo", database: "kundli_db", thresholds: { tableSizeBytes: 128 * 1024 ** 2, cacheHitRatioPercent: 90, indexBloatPercent: 30, queryTimeMs: 1000 } }], {
        week: { year: 2026, week: 47 },
        tz: "UTC",
        now: NOW,
        redact: (s) => s,
      });
      const w = t.targets[0];
      expect(w.simulated).toBe(true);
      expect(w.coverage.current.map((d) => d.hoursWithData)).toEqual([24, 24, 24, 24, 24, 24, 24]);
      expect(w.headline.peakConnections.current).toBe(78);
      expect(w.headline.tpsMean.current).toBeGreaterThan(4);
      expect(w.tables.find((x) => x.objectKey === "public.planetary_positions")?.alreadyOver).toBe(true);
      expect(w.fingerprints.find((f) => f.fingerprint === "demo-chart-search")?.status).toBe("new");
      expect(w.summary[0]).toBe("This week includes simulated demo history, not measurements.");
    } finally {
      await store.close();
    }

    const again = await backfillDemoHistory({ storeUrl: db.url, targetId: "default", database: "kundli_db", weeks: 1, now: NOW });
    expect(again.skipped).toMatch(/already holds history/);
  });
});
