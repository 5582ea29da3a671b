import type { Change, TargetTrends } from "@/lib/api/trends";
import { formatBytes } from "@/lib/format/bytes";
import { formatDuration, formatSeconds } from "@/lib/format/duration";
import { localTimeLabel } from "./iso-week";

// The paragraph a lead reads first. Each sentence is built from one figure of the page and is
// left out when that figure is unknown: nothing here claims what the numbers do not show
// (a missing previous week is "no comparison", never "up from 0").

type Trends = Omit<TargetTrends, "summary">;

const DAY_MS = 86_400_000;
/** Projections further out than this are not news for a weekly page. */
export const PROJECTION_HORIZON_DAYS = 90;

const pct1 = (v: number) => `${v.toFixed(1)} %`;
const num = (v: number, digits = 1) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(digits).replace(/\.0$/, ""));

/** "up 31 % from 32" / "down 12 % from 50" / "unchanged" / "" (no previous week). */
function versus(c: Change, fmt: (v: number) => string): string {
  if (c.current === null || c.previous === null) return "";
  if (c.delta === 0) return ", unchanged from the week before";
  if (c.pct === null) return ` (the week before: ${fmt(c.previous)})`;
  return `, ${c.delta! > 0 ? "up" : "down"} ${Math.abs(Math.round(c.pct))} % from ${fmt(c.previous)}`;
}

function hourRange(fromIso: string, toIso: string, tz: string): string {
  const a = localTimeLabel(new Date(fromIso), tz);
  const b = localTimeLabel(new Date(toIso), tz);
  return `${a.weekday} ${a.time}–${b.time}`;
}

function at(isoTs: string, tz: string): string {
  const a = localTimeLabel(new Date(isoTs), tz);
  return `${a.weekday} ${a.time}`;
}

function day(isoTs: string): string {
  return new Date(isoTs).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export function summarize(t: Trends, tz: string): string[] {
  const out: string[] = [];
  const h = t.headline;
  const hours = t.coverage.current.reduce((s, d) => s + d.hours, 0);
  const withData = t.coverage.current.reduce((s, d) => s + d.hoursWithData, 0);
  if (t.simulated) out.push("This week includes simulated demo history, not measurements.");
  if (hours > 0 && withData === 0) {
    out.push("No data was collected this week.");
    return out;
  }
  if (withData < hours) {
    const gaps = t.coverage.current.filter((d) => d.hours > 0 && d.hoursWithData < d.hours).map((d) => d.date);
    out.push(`Data covers ${withData} of ${hours} hours; gaps on ${gaps.join(", ")}.`);
  }

  if (h.slowCount.current !== null) {
    let s = `${h.slowCount.current} slow statement${h.slowCount.current === 1 ? "" : "s"} recorded${versus(h.slowCount, (v) => String(v))}`;
    if (h.slowP95Ms.current !== null) {
      s += `; p95 duration ${formatDuration(h.slowP95Ms.current)}`;
      if (h.slowP95Ms.previous !== null) s += ` (was ${formatDuration(h.slowP95Ms.previous)})`;
    }
    out.push(`${s}.`);
  }

  const worst = h.cacheHitWorst.current;
  const limit = t.thresholds.cacheHitRatioPercent;
  if (worst && worst.value < limit) {
    out.push(`Cache hit ratio dipped below ${limit} % on ${hourRange(worst.from, worst.to, tz)} (${pct1(worst.value)}); the week's hourly mean was ${pct1(h.cacheHitMean.current!)}.`);
  } else if (worst && h.cacheHitMean.current !== null) {
    out.push(`Cache hit ratio stayed at or above ${limit} % in every hour with enough block reads (lowest ${pct1(worst.value)}, mean ${pct1(h.cacheHitMean.current)}).`);
  }

  if (h.tpsMean.current !== null) {
    let s = `Transactions averaged ${num(h.tpsMean.current)}/s${versus(h.tpsMean, (v) => `${num(v)}/s`)}`;
    if (h.tpsPeak.current !== null && h.tpsPeakAt) s += `; the busiest hour (${at(h.tpsPeakAt, tz)}) averaged ${num(h.tpsPeak.current)}/s`;
    out.push(`${s}.`);
  }

  if (h.peakConnections.current !== null && h.peakConnectionsAt) {
    const of = h.connectionLimit ? ` of ${h.connectionLimit} usable slots (${Math.round((h.peakConnections.current / h.connectionLimit) * 100)} %)` : "";
    out.push(`Connections peaked at ${h.peakConnections.current}${of} on ${at(h.peakConnectionsAt, tz)}.`);
  }

  if (h.dbSizeGrowthBytes.current !== null) {
    const g = h.dbSizeGrowthBytes.current;
    const prev = h.dbSizeGrowthBytes.previous;
    out.push(`The database ${g >= 0 ? "grew" : "shrank"} ${formatBytes(Math.abs(g))}${prev !== null ? ` (the week before: ${prev >= 0 ? "+" : "−"}${formatBytes(Math.abs(prev))})` : ""}.`);
  }

  const over = t.tables.filter((x) => x.alreadyOver);
  const threshold = formatBytes(t.thresholds.tableSizeBytes);
  if (over.length) out.push(`${over.length === 1 ? "1 table is" : `${over.length} tables are`} already over ${threshold}: ${over.slice(0, 3).map((x) => x.objectKey).join(", ")}${over.length > 3 ? " …" : ""}.`);
  const weekEnd = Date.parse(t.coverage.current.length ? t.coverage.current[t.coverage.current.length - 1].date : "") + DAY_MS;
  const soon = t.tables
    .filter((x) => !x.alreadyOver && x.crossesAt && (Date.parse(x.crossesAt) - weekEnd) / DAY_MS <= PROJECTION_HORIZON_DAYS)
    .sort((a, b) => Date.parse(a.crossesAt!) - Date.parse(b.crossesAt!));
  for (const x of soon.slice(0, 2)) {
    let s = `${x.objectKey} grew ${formatBytes(x.growthBytes ?? 0)} and is projected to cross ${threshold} on ${day(x.crossesAt!)}`;
    if (x.projectionChangeDays !== null && Math.abs(x.projectionChangeDays) >= 1) {
      s += `, ${Math.round(Math.abs(x.projectionChangeDays))} days ${x.projectionChangeDays < 0 ? "sooner" : "later"} than last week's projection`;
    } else if (x.previousCrossesAt === null) s += " (no projection last week)";
    out.push(`${s}.`);
  }

  const rise = t.bloat.find((b) => b.deltaPoints !== null && b.deltaPoints >= 1);
  if (rise) out.push(`Bloat of ${rise.objectKey} rose ${num(rise.deltaPoints!)} points to ${pct1(rise.bloatPercent!)}.`);
  if (t.unusedIndexes.length) out.push(`${t.unusedIndexes.length} new unused index${t.unusedIndexes.length === 1 ? "" : "es"}: ${t.unusedIndexes.slice(0, 3).map((u) => u.objectKey).join(", ")}.`);

  const by = (s: string) => t.fingerprints.filter((f) => f.status === s).length;
  const moves = (["new", "worse", "better", "gone"] as const).map((s) => [s, by(s)] as const).filter(([, n]) => n > 0);
  if (moves.length) out.push(`Slow statement fingerprints against last week: ${moves.map(([s, n]) => `${n} ${s}`).join(", ")}.`);

  if (h.alertsFired.current !== null) {
    const top = t.alerts.find((a) => a.fired > 0);
    let s = `${h.alertsFired.current} alert${h.alertsFired.current === 1 ? "" : "s"} fired${versus(h.alertsFired, (v) => String(v))}`;
    if (top && h.alertsFired.current > 0) s += `, most for ${top.rule} (${top.fired})`;
    const mt = [h.mttaSeconds.current !== null ? `MTTA ${formatSeconds(h.mttaSeconds.current)}` : null, h.mttrSeconds.current !== null ? `MTTR ${formatSeconds(h.mttrSeconds.current)}` : null].filter(Boolean);
    if (mt.length) s += `; ${mt.join(", ")}`;
    out.push(`${s}.`);
  }
  return out;
}
