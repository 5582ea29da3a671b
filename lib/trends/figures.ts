import type { AlertRuleTrend, FingerprintTrend, Headline, TableTrend, TargetTrends } from "@/lib/api/trends";
import { tableGrowth } from "@/lib/analysis/growth";
import { change, classifyFingerprint, projectionChangeDays } from "./compare";
import { coverageOf, extremeHour, fold, HOUR_MS, hourStarts, pairByWeekday, type Hourly } from "./daily";
import type { DayBounds, WeekBounds } from "./iso-week";
import { summarize } from "./summary";

// A target's week, assembled from what the store returned. Pure: every input is an argument, so
// the integration test can check each figure against the samples it stored.

export interface SlowDay {
  week: "current" | "previous";
  date: string | null;
  count: number;
  p95Ms: number | null;
}

export interface AlertWeek {
  week: "current" | "previous";
  rule: string | null;
  fired: number;
  acknowledged: number;
  resolved: number;
  mttaSeconds: number | null;
  mttrSeconds: number | null;
}

export interface FingerprintGroup {
  fingerprint: string;
  count: number;
  p95Ms: number | null;
  totalMs: number | null;
  exampleQuery: string;
}

export interface TargetInputs {
  target: { id: string; name: string; database: string };
  thresholds: TargetTrends["thresholds"];
  tz: string;
  now: Date;
  current: WeekBounds;
  previous: WeekBounds;
  hourly: { tps: Hourly; cacheHit: Hourly; connections: Hourly; connectionLimit: Hourly; dbSize: Hourly };
  slow: SlowDay[];
  alerts: AlertWeek[];
  /** Size boundaries: the previous week's start, its 7 day ends, then the current week's 7 day ends. */
  sizeBoundaries: Date[];
  /** Per table, the size at each boundary index (absent: no stored set near it). */
  sizes: Map<string, Map<number, { ts: Date; bytes: number }>>;
  bloat: TargetTrends["bloat"];
  unusedIndexes: TargetTrends["unusedIndexes"];
  /** Per fingerprint and week, biggest total time first. */
  groups: { current: FingerprintGroup[]; previous: FingerprintGroup[] };
  redact: (sql: string) => string;
  simulated: Array<{ from: Date; to: Date }>;
}

export const TOP_TABLES = 15;
export const TOP_FINGERPRINTS = 15;
export const TOP_GONE = 5;

const iso = (ms: number | undefined | null) => (ms === undefined || ms === null ? null : new Date(ms).toISOString());

function weekEnd(w: WeekBounds, now: Date): Date {
  return w.end < now ? w.end : now;
}

function tablesOf(i: TargetInputs): { rows: TableTrend[]; available: boolean } {
  const threshold = i.thresholds.tableSizeBytes;
  const rows: TableTrend[] = [];
  for (const [objectKey, byIndex] of i.sizes) {
    const pick = (lo: number, hi: number) =>
      [...byIndex.entries()]
        .filter(([k]) => k >= lo && k <= hi)
        .sort((a, b) => a[0] - b[0])
        .map(([, v]) => v);
    const cur = pick(7, 14);
    const prev = pick(0, 7);
    if (cur.length === 0) continue;
    const g = tableGrowth(cur, threshold, weekEnd(i.current, i.now));
    const pg = tableGrowth(prev, threshold, i.previous.end);
    const last = cur[cur.length - 1];
    const first = cur[0];
    rows.push({
      objectKey,
      sizeBytes: last.bytes,
      growthBytes: cur.length >= 2 ? last.bytes - first.bytes : null,
      growthBytesPerDay: g.growthBytesPerDay,
      alreadyOver: g.alreadyOver,
      crossesAt: g.crossesAt?.toISOString() ?? null,
      previousCrossesAt: pg.crossesAt?.toISOString() ?? null,
      projectionChangeDays: projectionChangeDays(g.crossesAt, pg.crossesAt),
    });
  }
  rows.sort((a, b) => (b.growthBytes ?? -Infinity) - (a.growthBytes ?? -Infinity) || a.objectKey.localeCompare(b.objectKey));
  return { rows: rows.slice(0, TOP_TABLES), available: i.sizes.size > 0 };
}

function fingerprintsOf(i: TargetInputs): FingerprintTrend[] {
  const prev = new Map(i.groups.previous.map((g) => [g.fingerprint, g]));
  const seen = new Set<string>();
  const out: FingerprintTrend[] = [];
  for (const g of i.groups.current) {
    seen.add(g.fingerprint);
    const p = prev.get(g.fingerprint);
    out.push({
      fingerprint: g.fingerprint,
      query: i.redact(g.exampleQuery),
      status: classifyFingerprint({ count: g.count, p95Ms: g.p95Ms }, p ? { count: p.count, p95Ms: p.p95Ms } : null),
      count: g.count,
      previousCount: p?.count ?? 0,
      p95Ms: g.p95Ms,
      previousP95Ms: p?.p95Ms ?? null,
      totalMs: g.totalMs,
    });
  }
  // Groups arrive by total time, the order a lead cares about; gone ones after, biggest first.
  const gone = i.groups.previous
    .filter((g) => !seen.has(g.fingerprint))
    .slice(0, TOP_GONE)
    .map(
      (g): FingerprintTrend => ({
        fingerprint: g.fingerprint,
        query: i.redact(g.exampleQuery),
        status: "gone",
        count: 0,
        previousCount: g.count,
        p95Ms: null,
        previousP95Ms: g.p95Ms,
        totalMs: null,
      }),
    );
  return [...out.slice(0, TOP_FINGERPRINTS), ...gone];
}

function alertsOf(i: TargetInputs): { rules: AlertRuleTrend[]; cur: AlertWeek | null; prev: AlertWeek | null } {
  const rules = new Map<string, AlertRuleTrend>();
  let cur: AlertWeek | null = null;
  let prev: AlertWeek | null = null;
  for (const a of i.alerts) {
    if (a.rule === null) {
      if (a.week === "current") cur = a;
      else prev = a;
      continue;
    }
    const r = rules.get(a.rule) ?? { rule: a.rule, fired: 0, previousFired: 0, acknowledged: 0, resolved: 0, mttaSeconds: null, mttrSeconds: null };
    if (a.week === "current") Object.assign(r, { fired: a.fired, acknowledged: a.acknowledged, resolved: a.resolved, mttaSeconds: a.mttaSeconds, mttrSeconds: a.mttrSeconds });
    else r.previousFired = a.fired;
    rules.set(a.rule, r);
  }
  return { rules: [...rules.values()].sort((a, b) => b.fired - a.fired || a.rule.localeCompare(b.rule)), cur, prev };
}

export function assembleTarget(i: TargetInputs): TargetTrends {
  const { current: cw, previous: pw, hourly: h } = i;
  const cEnd = weekEnd(cw, i.now);
  const slowTotal = (w: "current" | "previous") => i.slow.find((s) => s.week === w && s.date === null) ?? null;
  const slowDay = new Map(i.slow.filter((s) => s.date !== null).map((s) => [s.date as string, s.count]));
  const hasData = (t: number) => (h.tps.get(t) ?? null) !== null || (h.connections.get(t) ?? null) !== null;
  const covered = (from: Date, to: Date) => hourStarts(from, to).some(hasData);
  // No slow statement (or alert) while pgpulse was collecting is a real zero; while it was not,
  // the count is unknown.
  const countIf = (from: Date, to: Date, n: number | undefined) => (covered(from, to) ? (n ?? 0) : null);
  const slowOn = (d: DayBounds) => countIf(d.start, d.end, slowDay.get(d.date));
  const cs = slowTotal("current");
  const ps = slowTotal("previous");

  const worst = (w: WeekBounds, end: Date) => {
    const x = extremeHour(h.cacheHit, w.start, end, "min");
    return x ? { value: x.value, from: new Date(x.ts).toISOString(), to: new Date(x.ts + HOUR_MS).toISOString() } : null;
  };
  const peakConn = extremeHour(h.connections, cw.start, cEnd, "max");
  const peakTps = extremeHour(h.tps, cw.start, cEnd, "max");
  const growth = (w: WeekBounds, end: Date) => {
    const first = fold(h.dbSize, w.start, end, "first");
    const last = fold(h.dbSize, w.start, end, "last");
    return first === null || last === null ? null : last - first;
  };
  const alerts = alertsOf(i);

  const headline: Headline = {
    slowCount: change(countIf(cw.start, cEnd, cs?.count), countIf(pw.start, pw.end, ps?.count)),
    slowP95Ms: change(cs?.p95Ms ?? null, ps?.p95Ms ?? null),
    cacheHitMean: change(fold(h.cacheHit, cw.start, cEnd, "mean"), fold(h.cacheHit, pw.start, pw.end, "mean")),
    cacheHitWorst: { current: worst(cw, cEnd), previous: worst(pw, pw.end) },
    peakConnections: change(peakConn?.value ?? null, fold(h.connections, pw.start, pw.end, "max")),
    peakConnectionsAt: iso(peakConn?.ts),
    connectionLimit: fold(h.connectionLimit, cw.start, cEnd, "last"),
    tpsMean: change(fold(h.tps, cw.start, cEnd, "mean"), fold(h.tps, pw.start, pw.end, "mean")),
    tpsPeak: change(peakTps?.value ?? null, fold(h.tps, pw.start, pw.end, "max")),
    tpsPeakAt: iso(peakTps?.ts),
    dbSizeGrowthBytes: change(growth(cw, cEnd), growth(pw, pw.end)),
    dbSizeBytes: fold(h.dbSize, cw.start, cEnd, "last"),
    alertsFired: change(countIf(cw.start, cEnd, alerts.cur?.fired), countIf(pw.start, pw.end, alerts.prev?.fired)),
    mttaSeconds: change(alerts.cur?.mttaSeconds ?? null, alerts.prev?.mttaSeconds ?? null),
    mttrSeconds: change(alerts.cur?.mttrSeconds ?? null, alerts.prev?.mttrSeconds ?? null),
  };

  const day = (hh: Hourly, how: "mean" | "max" | "last") => (d: DayBounds) => fold(hh, d.start, d.end, how);
  const simulatedDay = (d: DayBounds) => i.simulated.some((r) => r.from < d.end && r.to > d.start);
  const tables = tablesOf(i);

  const out: Omit<TargetTrends, "summary"> = {
    targetId: i.target.id,
    targetName: i.target.name,
    database: i.target.database,
    thresholds: i.thresholds,
    simulated: cw.days.some(simulatedDay),
    previousSimulated: pw.days.some(simulatedDay),
    coverage: { current: coverageOf(cw.days, hasData, i.now, simulatedDay), previous: coverageOf(pw.days, hasData, i.now, simulatedDay) },
    headline,
    daily: {
      slowCount: pairByWeekday(cw.days, pw.days, slowOn),
      cacheHitMean: pairByWeekday(cw.days, pw.days, day(h.cacheHit, "mean")),
      tpsMean: pairByWeekday(cw.days, pw.days, day(h.tps, "mean")),
      peakConnections: pairByWeekday(cw.days, pw.days, day(h.connections, "max")),
      dbSizeBytes: pairByWeekday(cw.days, pw.days, day(h.dbSize, "last")),
    },
    tables: tables.rows,
    tablesAvailable: tables.available,
    bloat: i.bloat,
    unusedIndexes: i.unusedIndexes,
    fingerprints: fingerprintsOf(i),
    alerts: alerts.rules,
  };
  return { ...out, summary: summarize(out, i.tz) };
}
