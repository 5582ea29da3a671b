import type { StoreBytesResult } from "./store-bytes";

// Numbers → the JSON kept in bench/results and the markdown table printed and saved beside it.

export interface RunSample {
  wallMs: number;
  execMs: number;
  planMs: number;
  calls: number;
  unmarkedCalls: number;
  rows: number | null;
  status: string;
}

export interface TargetFigures {
  runs: number;
  status: string[];
  rows: number | null;
  callsPerRun: number;
  execMs: Stats;
  planMs: Stats;
  /** exec + plan, per run. */
  dbMs: Stats;
  wallMs: Stats;
  /** Runs that ended in an error (a timeout, typically). */
  failed: number;
  /**
   * pg_stat_statements records only statements that finish: when every run failed, the DB
   * figures are the client's wall times, a lower bound of what the server spent.
   */
  lowerBound: boolean;
  /** Median DB time × runs per minute at the default cadence. */
  dbMsPerMinute: number;
  wallMsPerMinute: number;
}

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export interface MetricFigures {
  id: string;
  intervalMs: number;
  lane: string;
  targets: Record<string, TargetFigures>;
  /** Median DB time of the largest target over the smallest. */
  dbRatio: number | null;
  wallRatio: number | null;
}

export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

export function summarize(samples: RunSample[], intervalMs: number): TargetFigures {
  const perMinute = 60_000 / intervalMs;
  const done = samples.filter((s) => !s.status.startsWith("error"));
  const lowerBound = done.length === 0;
  const db = lowerBound ? stats(samples.map((s) => s.wallMs)) : stats(done.map((s) => s.execMs + s.planMs));
  const wall = stats(samples.map((s) => s.wallMs));
  const rows = samples.map((s) => s.rows).filter((r): r is number => r !== null);
  return {
    runs: samples.length,
    status: [...new Set(samples.map((s) => s.status))],
    rows: rows.length ? rows[rows.length - 1] : null,
    failed: samples.length - done.length,
    lowerBound,
    callsPerRun: stats(samples.map((s) => s.calls)).median,
    execMs: stats((lowerBound ? samples : done).map((s) => s.execMs)),
    planMs: stats((lowerBound ? samples : done).map((s) => s.planMs)),
    dbMs: db,
    wallMs: wall,
    dbMsPerMinute: db.median * perMinute,
    wallMsPerMinute: wall.median * perMinute,
  };
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const every = (intervalMs: number) => (intervalMs >= 60_000 ? `${intervalMs / 60_000} min` : `${intervalMs / 1000} s`);
const ratio = (x: number | null) => (x === null ? "–" : `${x.toFixed(1)}×`);
export const mib = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MiB`;

/** The per-metric table: one column group per target, then the ratio of the last to the first. */
export function metricsTable(metrics: MetricFigures[], targetNames: string[]): string {
  const [small, large] = [targetNames[0], targetNames[targetNames.length - 1]];
  const head = [
    "metric", "every", ...targetNames.map((t) => `rows ${t}`),
    ...targetNames.map((t) => `DB ms ${t}`), ...targetNames.map((t) => `wall ms ${t}`),
    `DB ${large}/${small}`, ...targetNames.map((t) => `DB ms/min ${t}`),
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`];
  for (const m of metrics) {
    const f = (t: string) => m.targets[t];
    const ge = (t: string) => (f(t).lowerBound ? "≥ " : "");
    const bad = (t: string) => (f(t).failed ? ` (${f(t).failed}/${f(t).runs} failed: ${f(t).status.filter((x) => x !== "ok").join("; ").slice(0, 60)})` : "");
    lines.push(`| ${[
      m.id, every(m.intervalMs),
      ...targetNames.map((t) => String(f(t).rows ?? "–")),
      ...targetNames.map((t) => `${ge(t)}${ms(f(t).dbMs.median)}${bad(t)}`),
      ...targetNames.map((t) => ms(f(t).wallMs.median)),
      (f(large).lowerBound && !f(small).lowerBound ? "≥ " : "") + ratio(m.dbRatio),
      ...targetNames.map((t) => `${ge(t)}${ms(f(t).dbMsPerMinute)}`),
    ].join(" | ")} |`);
  }
  const total = (t: string, k: "dbMsPerMinute" | "wallMsPerMinute") => metrics.reduce((n, m) => n + m.targets[t][k], 0);
  const anyLow = (t: string) => (metrics.some((m) => m.targets[t].lowerBound) ? "≥ " : "");
  const blanks = targetNames.map(() => "").join(" | ");
  lines.push(`| **per minute** | | ${blanks} | ${blanks} | ${blanks} | ${anyLow(large)}${ratio(total(large, "dbMsPerMinute") / total(small, "dbMsPerMinute"))} | ${targetNames.map((t) => `**${anyLow(t)}${ms(total(t, "dbMsPerMinute"))}**`).join(" | ")} |`);
  return lines.join("\n");
}

export function storeTable(s: StoreBytesResult): string {
  const lines = ["| relation family | bytes in the period | rows | to a day | per day |", "|---|---:|---:|---|---:|"];
  const how = { period: `× ${(86_400_000 / s.periodMs).toFixed(0)}`, hour: "× 24 (one hour bucket)", once: "one-time" };
  for (const f of s.families) lines.push(`| ${f.family} | ${mib(f.bytes)} | ${f.rows} | ${how[f.scale]} | ${f.scale === "once" ? "–" : mib(f.perDayBytes)} |`);
  lines.push(`| **total per day** | | | | **${mib(s.perDay.total)}** |`);
  return lines.join("\n");
}
