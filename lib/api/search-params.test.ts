import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_RANGE_MS, clampStepSeconds, stepNoFinerThan, stepSecondsFor, MAX_SERIES_POINTS, MIN_STEP_SECONDS } from "@/lib/limits";
import {
  parseAlertsParams,
  parseLiveParams,
  parseMaintenanceParams,
  parseOverviewParams,
  parseReplicationParams,
  parseTablesParams,
  parseTimeRange,
  resolveRange,
  serializeAlertsParams,
  serializeLiveParams,
  serializeMaintenanceParams,
  serializeOverviewParams,
  serializeReplicationParams,
  serializeTablesParams,
} from "./search-params";
import { seriesQuerySchema } from "./series";
import { longestTickGapMs } from "@/lib/collector/schedule";

describe("live params", () => {
  it("defaults for an empty URL and round-trips to an empty query string", () => {
    const p = parseLiveParams({});
    expect(p).toEqual({ window: "1h", pid: null, state: null, user: null, app: null, q: null, sort: "duration", dir: "desc" });
    expect(serializeLiveParams(p).toString()).toBe("");
  });
  it("keeps valid values and drops invalid ones", () => {
    const p = parseLiveParams(new URLSearchParams("window=15m&pid=4242&state=active&q=%20select%20&sort=xact&dir=asc"));
    expect(p).toMatchObject({ window: "15m", pid: 4242, state: "active", q: "select", sort: "xact", dir: "asc" });
    expect(parseLiveParams({ window: "7d", pid: "-3", sort: "drop table" })).toMatchObject({ window: "1h", pid: null, sort: "duration" });
    expect(parseLiveParams({ pid: "1.5" }).pid).toBeNull();
    expect(serializeLiveParams(p).toString()).toBe("window=15m&pid=4242&state=active&q=select&sort=xact&dir=asc");
  });
  it("clamps long filter text", () => {
    expect(parseLiveParams({ q: "x".repeat(5000) }).q).toHaveLength(200);
  });
  it("takes the first of repeated keys", () => {
    expect(parseLiveParams({ window: ["6h", "24h"] }).window).toBe("6h");
  });
});

describe("time ranges", () => {
  const now = Date.parse("2025-06-01T00:00:00Z");
  it("relative keys resolve at call time", () => {
    const r = parseTimeRange({ range: "6h" }, ["1h", "6h"], "1h");
    expect(r).toEqual({ kind: "relative", key: "6h" });
    const w = resolveRange(r, now);
    expect(w.to.getTime()).toBe(now);
    expect(w.rangeMs).toBe(6 * 3_600_000);
  });
  it("unknown key → default", () => {
    expect(parseTimeRange({ range: "5y" }, ["1h", "6h"], "1h")).toEqual({ kind: "relative", key: "1h" });
  });
  it("absolute from/to, clamped to the longest range; reversed is ignored", () => {
    const r = parseTimeRange({ from: "2000-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z" }, ["1h"], "1h");
    expect(r.kind).toBe("absolute");
    const w = resolveRange(r, now);
    expect(w.rangeMs).toBe(MAX_RANGE_MS);
    expect(parseTimeRange({ from: "2025-01-02T00:00:00Z", to: "2025-01-01T00:00:00Z" }, ["1h"], "1h").kind).toBe("relative");
  });
});

describe("tables and alerts params", () => {
  it("tables round trip", () => {
    const p = parseTablesParams({ range: "7d", tab: "indexes", flag: "bloated", table: "public.users" });
    expect(serializeTablesParams(p).toString()).toBe("range=7d&tab=indexes&table=public.users&flag=bloated");
    expect(parseTablesParams({ tab: "x", flag: "y" })).toMatchObject({ tab: "tables", flag: "all" });
  });
  it("tables sort, direction and page live in the URL; a sort key of the other tab falls back", () => {
    const p = parseTablesParams({ sort: "dead", dir: "asc", page: "3" });
    expect(p).toMatchObject({ sort: "dead", dir: "asc", page: 3 });
    expect(serializeTablesParams(p).toString()).toBe("sort=dead&dir=asc&page=3");
    expect(parseTablesParams({ tab: "indexes", sort: "dead", page: "-2", dir: "up" })).toMatchObject({ sort: "size", dir: "desc", page: 1 });
    expect(parseTablesParams({ tab: "indexes", sort: "bloat" }).sort).toBe("bloat");
    expect(serializeTablesParams(parseTablesParams({})).toString()).toBe("");
  });
  it("alert states accept repeats and commas, drop unknowns and duplicates", () => {
    const p = parseAlertsParams(new URLSearchParams("state=firing,resolved&state=bogus&state=firing&rule=slow_query"));
    expect(p.state).toEqual(["firing", "resolved"]);
    expect(serializeAlertsParams(p).toString()).toBe("state=firing%2Cresolved&rule=slow_query");
  });
});

describe("maintenance params", () => {
  it("an unknown window falls back to the last hour; the default is left out of the URL", () => {
    expect(parseMaintenanceParams({ window: "2h", q: "  " })).toEqual({ window: "1h", q: null });
    const p = parseMaintenanceParams(new URLSearchParams("window=24h&q=users"));
    expect(p).toEqual({ window: "24h", q: "users" });
    expect(serializeMaintenanceParams(p).toString()).toBe("window=24h&q=users");
    expect(serializeMaintenanceParams({ window: "1h", q: null }).toString()).toBe("");
  });
});

describe("series query clamping", () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  it("a step that would exceed the point budget is raised", () => {
    const q = seriesQuerySchema.parse({ metric: "tps", from: "2025-01-01T00:00:00Z", to: "2025-01-31T00:00:00Z", step: "1" });
    expect(q.step).toBe(Math.ceil((30 * 86400) / MAX_SERIES_POINTS));
  });
  it("a range beyond the maximum is shortened, not refused", () => {
    const q = seriesQuerySchema.parse({ metric: "tps", from: "2000-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z" });
    expect(Date.parse(q.to) - Date.parse(q.from)).toBe(MAX_RANGE_MS);
  });
  it("rejects unknown metrics and reversed ranges, naming the parameter", () => {
    const bad = seriesQuerySchema.safeParse({ metric: "nope", from: "2025-01-01T00:00:00Z", to: "2025-01-02T00:00:00Z" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(["metric"]);
    const rev = seriesQuerySchema.safeParse({ metric: "tps", from: "2025-01-02T00:00:00Z", to: "2025-01-01T00:00:00Z" });
    expect(rev.error?.issues[0].path).toEqual(["from"]);
  });
  it("without from and to: the pages' default window (1h), ending now", () => {
    vi.useFakeTimers({ now: Date.parse("2025-03-01T12:00:00Z") });
    const q = seriesQuerySchema.parse({ metric: "tps" });
    expect([q.from, q.to]).toEqual(["2025-03-01T11:00:00.000Z", "2025-03-01T12:00:00.000Z"]);
  });
  it("with only to, or only from: the hour before to, or from up to now", () => {
    vi.useFakeTimers({ now: Date.parse("2025-03-01T12:00:00Z") });
    expect(seriesQuerySchema.parse({ metric: "tps", to: "2025-02-01T00:00:00Z" }).from).toBe("2025-01-31T23:00:00.000Z");
    expect(seriesQuerySchema.parse({ metric: "tps", from: "2025-03-01T06:00:00Z" }).to).toBe("2025-03-01T12:00:00.000Z");
    // A from in the future is after the default to: refused, naming from.
    expect(seriesQuerySchema.safeParse({ metric: "tps", from: "2025-03-02T00:00:00Z" }).error?.issues[0].path).toEqual(["from"]);
  });
  it("steps: readable, never below the minimum", () => {
    expect(stepSecondsFor(15 * 60_000)).toBe(MIN_STEP_SECONDS);
    expect(stepSecondsFor(3_600_000)).toBe(15);
    expect(stepSecondsFor(86_400_000)).toBe(600);
    expect(clampStepSeconds(0, 60_000)).toBe(MIN_STEP_SECONDS);
  });
  it("steps: never finer than the data's spacing (jittered cadence, rollup bucket)", () => {
    // The cache ratio, sampled every 15 s ± 10 %: a 5 s step (the fifteen-minute window's) becomes
    // 17 s, so every bucket holds a sample; a 15 s one could still fall between two.
    expect(longestTickGapMs(15_000)).toBe(16_500);
    expect(stepNoFinerThan(5, longestTickGapMs(15_000))).toBe(17);
    expect(stepNoFinerThan(15, longestTickGapMs(15_000))).toBe(17);
    // Minute rollups: one per bucket.
    expect(stepNoFinerThan(MIN_STEP_SECONDS, 60_000)).toBe(60);
    // At or above the spacing: as asked.
    expect(stepNoFinerThan(20, 16_500)).toBe(20);
    expect(stepNoFinerThan(600, 60_000)).toBe(600);
    expect(stepNoFinerThan(5, longestTickGapMs(1_000))).toBe(5);
    expect(stepNoFinerThan(5, 0)).toBe(5);
  });
});

describe("replication page params", () => {
  it.each([
    ["default", {}, "6h", ""],
    ["a listed range", { range: "7d" }, "7d", "range=7d"],
    ["an unknown range falls back", { range: "2y" }, "6h", ""],
  ] as const)("%s", (_n, sp, range, query) => {
    const p = parseReplicationParams(sp);
    expect(p.range).toBe(range);
    expect(serializeReplicationParams(p).toString()).toBe(query);
  });

  it("a standby name passes to the series query; control characters are refused naming it", () => {
    expect(seriesQuerySchema.parse({ metric: "replay_lag_seconds", standby: "walreceiver" }).standby).toBe("walreceiver");
    expect(seriesQuerySchema.safeParse({ metric: "replay_lag_seconds", standby: "a\u0000b" }).error?.issues[0].path).toEqual(["standby"]);
  });
});

describe("overview params", () => {
  it("defaults for an empty URL and round-trips to an empty query string", () => {
    const p = parseOverviewParams({});
    expect(p).toEqual({ window: "1h", q: null, tag: [], status: [] });
    expect(serializeOverviewParams(p).toString()).toBe("");
  });
  it("keeps several tags and statuses, drops malformed ones and repeats", () => {
    const p = parseOverviewParams(new URLSearchParams("q=%20orders%20&tag=env%3Dprod&tag=region%3Deu&tag=bad&tag=env%3Dprod&status=down,critical,nope"));
    expect(p).toEqual({ window: "1h", q: "orders", tag: [{ key: "env", value: "prod" }, { key: "region", value: "eu" }], status: ["down", "critical"] });
    expect(serializeOverviewParams(p).toString()).toBe("q=orders&tag=env%3Dprod&tag=region%3Deu&status=down%2Ccritical");
  });
  it("caps the tags a filter combines", () => {
    const many = new URLSearchParams(Array.from({ length: 20 }, (_, i) => ["tag", `k${i}=v`]));
    expect(parseOverviewParams(many).tag).toHaveLength(8);
  });
});
