import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/targets/[id]/tables/route";
import { tablesResponseSchema, type TablesResponse } from "@/lib/api/tables";
import { PEER_HEADER } from "@/lib/auth/peer";
import { createStore, type Store } from "@/lib/store";
import { FAST_INTERVALS } from "@/test/faults/support";
import { useRouteTestRuntime, type RouteTestRuntime } from "@/test/support/route-runtime";

// Write rates over a day and a week, end to end: a real collector reads table_stats from a real
// server; its rows, taken after each step of a workload, are stored hours apart (a day cannot
// be waited for), and the tables API's rates are checked against the counters read with plain
// SQL from pg_stat_user_tables at each step — a counter reset in the middle included. The
// samples are 9 h apart, so a week's slices (7 h, tables-read.ts) hold one each as a day's do.

const ID = "wr";
const H = 3_600_000;

describe("GET /api/targets/[id]/tables: write rates over long ranges", () => {
  let fx: RouteTestRuntime;
  let writer: Store;
  useRouteTestRuntime({ id: ID, prefix: "wr", intervals: FAST_INTERVALS, prepare: (admin) => admin.query("CREATE TABLE charts (id serial PRIMARY KEY, v int)") }, (f) => (fx = f));
  beforeAll(async () => {
    // Its own writer: the runtime's store keeps one set per 10 minutes by sample time.
    writer = createStore({ url: fx.storeDb.url, rowHistoryMinIntervalMs: 0 });
  });
  afterAll(async () => {
    await writer?.close();
  });

  type Counters = { ins: number; upd: number; del: number };
  /** What psql would print: the table's counters in pg_stat_user_tables, after this session's stats are flushed. */
  async function counters(): Promise<Counters> {
    await fx.admin.query("SELECT pg_stat_force_next_flush()");
    const { rows } = await fx.admin.query("SELECT n_tup_ins::int AS ins, n_tup_upd::int AS upd, n_tup_del::int AS del FROM pg_stat_user_tables WHERE relname = 'charts'");
    return rows[0] as Counters;
  }
  /** The collector's table_stats once it shows these counters for the table. */
  async function sampleShowing(c: Counters): Promise<{ ts: Date; rows: Record<string, unknown>[] }> {
    for (let i = 0; i < 200; i++) {
      const s = fx.rt.snapshot(ID)?.metrics.table_stats;
      const row = s?.status === "ok" ? (s.rows as Record<string, unknown>[]).find((r) => r.relname === "charts") : undefined;
      if (s?.status === "ok" && row && Number(row.n_tup_ins) === c.ins && Number(row.n_tup_upd) === c.upd && Number(row.n_tup_del) === c.del) return { ts: s.ts, rows: s.rows as Record<string, unknown>[] };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`table_stats never showed ${JSON.stringify(c)}`);
  }
  async function storeAt(ts: Date, c: Counters) {
    const s = await sampleShowing(c);
    writer.accept({ status: "ok", metric: "table_stats", targetId: ID, ts, durationMs: 1, rows: s.rows });
    await writer.flush();
  }
  async function get(from: Date, to: Date): Promise<TablesResponse> {
    const url = `http://127.0.0.1/api/targets/${ID}/tables?from=${from.toISOString()}&to=${to.toISOString()}`;
    const res = await GET(new Request(url, { headers: { [PEER_HEADER]: "127.0.0.1", host: "127.0.0.1" } }), { params: Promise.resolve({ id: ID }) });
    expect(res.status).toBe(200);
    return tablesResponseSchema.parse(await res.json());
  }

  it("day and week: increases between the stored samples over their real spacing, the reset's interval left out", async () => {
    const now0 = Date.now();
    const at = (hoursAgo: number) => new Date(now0 - hoursAgo * H);

    await fx.admin.query("INSERT INTO charts (v) SELECT g FROM generate_series(1, 100) g");
    const c0 = await counters();
    await storeAt(at(22), c0);
    await fx.admin.query("INSERT INTO charts (v) SELECT g FROM generate_series(1, 300) g; UPDATE charts SET v = v + 1 WHERE id <= 50");
    const c1 = await counters();
    await storeAt(at(13), c1);
    // The table's counters start again from 0: the next interval goes down, a reset.
    await fx.admin.query("SELECT pg_stat_reset_single_table_counters('charts'::regclass)");
    await fx.admin.query("INSERT INTO charts (v) SELECT g FROM generate_series(1, 40) g");
    const c2 = await counters();
    expect(c2.ins).toBeLessThan(c1.ins);
    await storeAt(at(4), c2);
    await fx.admin.query("INSERT INTO charts (v) SELECT g FROM generate_series(1, 200) g; DELETE FROM charts WHERE id <= 30");
    const c3 = await counters();
    const live = await sampleShowing(c3);
    // The runtime's own sets (taken at real times, earlier in this test) would interleave with
    // the hours-old ones written above: only those are the history here.
    await writer.pool.query("DELETE FROM pgpulse.snapshot_sets WHERE target_id = $1 AND ts > $2", [ID, at(1)]);

    const tEnd = live.ts.getTime();
    const s = (ms: number) => ms / 1000;
    // ins and upd went down over the reset's interval (13 h → 4 h ago): left out of both sums.
    const goodSpan = s(9 * H) + s(tEnd - at(4).getTime());
    const wantIns = (c1.ins - c0.ins + (c3.ins - c2.ins)) / goodSpan;
    const wantUpd = (c1.upd - c0.upd + (c3.upd - c2.upd)) / goodSpan;
    // del read 0 on both sides of the reset: nothing shows it there, every interval counts.
    const wantDel = (c3.del - c0.del) / s(tEnd - at(22).getTime());

    for (const daysBack of [1, 7]) {
      const body = await get(at(24 * daysBack), new Date(tEnd + 1));
      const row = body.rows.find((r) => r.table === "charts")!;
      expect(row.insPerSecond).toBeCloseTo(wantIns, 9);
      expect(row.updPerSecond).toBeCloseTo(wantUpd, 9);
      expect(row.delPerSecond).toBeCloseTo(wantDel, 9);
      expect(wantIns).toBeGreaterThan(0);
      expect([body.ratesFrom, body.ratesTo]).toEqual([at(22).toISOString(), live.ts.toISOString()]);
      // History with counters begins 22 h ago: nearly all of a day (said for a week).
      if (daysBack === 1) expect(body.ratesNote).toBeNull();
      else expect(body.ratesNote).toMatch(/^write rates over the last 22 h( \d+ min)? of the range: the stored samples with write counters begin there$/);
    }

    // A day before any stored sample: no rate, and why.
    const empty = await get(at(24 * 6), at(24 * 5));
    expect(empty.rows.find((r) => r.table === "charts")).toMatchObject({ insPerSecond: null, updPerSecond: null, delPerSecond: null });
    expect(empty.ratesNote).toBe("write rates need two samples in the range: none with write counters is stored yet");
    expect([empty.ratesFrom, empty.ratesTo]).toEqual([null, null]);
  }, 90_000);
});
