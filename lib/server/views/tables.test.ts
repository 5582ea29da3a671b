import { describe, expect, it } from "vitest";
import type { TableGrowthRow } from "@/lib/store/types";
import { parseRows, tableRow, type TableStatsRow } from "./rows";
import { counterRate, groupPartitions, ratesNote, toTables, type TimedRows } from "./tables";

const GB = 1024 ** 3;

function t(schemaname: string, relname: string, over: Partial<Record<string, unknown>> = {}): TableStatsRow {
  return tableRow.parse({
    schemaname, relname, is_partitioned: false, parent: null, source: "performance_metrics",
    seq_scan: 10, idx_scan: 100, n_tup_ins: 1000, n_tup_upd: 50, n_tup_del: 5, n_live_tup: 900, n_dead_tup: 10,
    last_vacuum: null, last_autovacuum: "2026-03-01T08:00:00.000Z", last_analyze: null, last_autoanalyze: null,
    heap_bytes: 800, indexes_bytes: 150, toast_bytes: 50, total_bytes: 1000, size_unavailable: null,
    next_month_partition_exists: null, ...over,
  });
}

const T0 = new Date("2026-03-01T10:00:00Z");
const T1 = new Date("2026-03-01T11:00:00Z");

const H = 3_600_000;

describe("counterRate", () => {
  it.each([
    [[100, 460], H, 0.1],
    [[100, 100], 60_000, 0],
    [[500, 100], 60_000, null], // reset: a gap, not a negative rate
    [[null, 100], 60_000, null],
    [[100, 200], 0, null],
    // A reset in the middle costs its interval only: (460-100) + (820-460) over the two good hours.
    [[100, 460, 5, 365, 725], H, 0.1],
    // A sample missing its value: both intervals touching it are gaps.
    [[100, null, 460, 820], H, 0.1],
  ])("%j every %s ms = %s", (values, stepMs, want) => {
    expect(counterRate(values.map((value, i) => ({ ts: i * stepMs, value })))).toBe(want);
  });
});

describe("ratesNote", () => {
  const range = { from: T0, to: new Date(T0.getTime() + 24 * H) };
  const at = (ms: number): TimedRows => ({ ts: new Date(T0.getTime() + ms), rows: [] });
  it("says why there is no rate, or how much of the range the rates cover", () => {
    expect(ratesNote([], range)).toBe("write rates need two samples in the range: none with write counters is stored yet");
    expect(ratesNote([at(H)], range)).toBe("write rates need two samples in the range: only one with write counters is stored so far");
    expect(ratesNote([at(-60_000), at(24 * H)], range)).toBeNull();
    expect(ratesNote([at(22 * H), at(23 * H), at(24 * H)], range)).toBe("write rates over the last 2 h of the range: the stored samples with write counters begin there");
  });
});

describe("toTables", () => {
  it("rates come from two sets of rows' deltas, never lifetime totals", () => {
    const start = [t("public", "users", { n_tup_ins: 1000, n_tup_upd: 50, n_tup_del: 5 })];
    const end = [t("public", "users", { n_tup_ins: 4600, n_tup_upd: 50, n_tup_del: 1 })];
    const r = toTables({
      targetId: "x", cadenceMs: 120_000, latest: { ts: T1, rows: end }, ratePoints: [{ ts: T0, rows: start }, { ts: T1, rows: end }], range: { from: T0, to: T1 },
      growth: [], thresholdBytes: 10 * GB, thresholdIsDemo: false, unavailable: null,
    });
    expect(r.rows[0]).toMatchObject({ insPerSecond: 1, updPerSecond: 0, delPerSecond: null, nTupIns: 4600 });
    expect(r.source).toBe("performance_metrics");
    expect(r.takenAt).toBe(T1.toISOString());
  });

  it("no rows yet: no rows, no time, no source — not zeros", () => {
    const r = toTables({ targetId: "x", cadenceMs: 120_000, latest: null, ratePoints: [], range: { from: T0, to: T1 }, growth: [], thresholdBytes: GB, thresholdIsDemo: true, unavailable: "unavailable: x" });
    expect(r).toMatchObject({ takenAt: null, source: null, rows: [], thresholdIsDemo: true, unavailable: "unavailable: x" });
  });

  it("groups partitions under their parent, with growth, days to threshold and the index hint", () => {
    const rows = [
      t("public", "birth_charts_2026_02", { parent: "public.birth_charts", total_bytes: 300 }),
      t("public", "audit_log", { total_bytes: 11 * GB, seq_scan: 900, idx_scan: 100 }),
      t("public", "birth_charts", { is_partitioned: true, total_bytes: 700, next_month_partition_exists: false }),
      t("public", "birth_charts_2026_01", { parent: "public.birth_charts", total_bytes: 400 }),
      t("public", "users", { total_bytes: 200 * 1024 * 1024, seq_scan: 90, idx_scan: 10 }),
    ];
    const growth: TableGrowthRow[] = [
      { objectKey: "public.users", latestBytes: 1, latestTs: T1, growthBytesPerDay: 1e6, daysToThreshold: 42.5, crossesAt: new Date("2026-04-12T22:00:00Z"), alreadyOver: false },
    ];
    const r = toTables({ targetId: "x", cadenceMs: 120_000, latest: { ts: T1, rows }, ratePoints: [], range: { from: T0, to: T1 }, growth, thresholdBytes: 10 * GB, thresholdIsDemo: false, unavailable: null });
    expect(r.rows.map((x) => x.table)).toEqual(["audit_log", "birth_charts", "birth_charts_2026_01", "birth_charts_2026_02", "users"]);
    const parent = r.rows[1];
    expect(parent).toMatchObject({ isPartitioned: true, totalBytes: 700, nextMonthPartitionExists: false });
    expect(r.rows[2].parent).toBe("public.birth_charts");
    expect(r.rows[4]).toMatchObject({ growthBytesPerDay: 1e6, daysToThreshold: 42.5, crossesAt: "2026-04-12T22:00:00.000Z", likelyNeedsIndex: true });
    // Over the threshold now: 0 days, whatever the (missing) growth history says.
    expect(r.rows[0]).toMatchObject({ daysToThreshold: 0, growthBytesPerDay: null, likelyNeedsIndex: true });
    expect(r.rows[3].likelyNeedsIndex).toBe(false);
  });

  it("keeps null idx_scan null (a table without indexes) and unknown sizes unknown", () => {
    const row = t("public", "q", { idx_scan: null, total_bytes: null, heap_bytes: null, size_unavailable: "locked" });
    const r = toTables({ targetId: "x", cadenceMs: 120_000, latest: { ts: T1, rows: [row] }, ratePoints: [], range: { from: T0, to: T1 }, growth: [], thresholdBytes: GB, thresholdIsDemo: false, unavailable: null });
    expect(r.rows[0]).toMatchObject({ idxScan: null, totalBytes: null, tableBytes: null, sizeUnavailable: "locked", daysToThreshold: null });
  });

  it("parses store rows (jsonb: strings for bigints and times) like snapshot rows", () => {
    const { rows, skipped } = parseRows([{ schemaname: "s", relname: "r", seq_scan: "12", total_bytes: "9007199254740993", last_vacuum: "2026-03-01T00:00:00Z" }, { relname: "no schema" }], tableRow);
    expect(skipped).toBe(1);
    expect(rows[0]).toMatchObject({ seq_scan: 12, last_vacuum: "2026-03-01T00:00:00.000Z", idx_scan: null, is_partitioned: false });
  });
});

describe("groupPartitions", () => {
  it("nests sub-partitions and keeps orphans at the top", () => {
    const rows = [
      { schema: "p", table: "a_1_x", parent: "p.a_1" },
      { schema: "p", table: "a", parent: null },
      { schema: "p", table: "a_1", parent: "p.a" },
      { schema: "p", table: "orphan", parent: "other.gone" },
    ];
    expect(groupPartitions(rows).map((r) => r.table)).toEqual(["a", "a_1", "a_1_x", "orphan"]);
  });
});
