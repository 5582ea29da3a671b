import { HISTORY_RANGES } from "@/lib/limits";
import type { AlertState } from "./alert-view";
import type { IndexFlag, IndexSort, TableSort } from "./list-sorts";
import type { SeriesMetric } from "./series-metrics";

// Every API address the pages fetch, in a module free of zod: the browser imports these, and
// the schemas that check the answers stay on the server (lib/api/<resource>.ts).

const target = (targetId: string) => `/api/targets/${encodeURIComponent(targetId)}`;
const window = (from: Date, to: Date) => new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });

export const ME_URL = "/api/auth/me";
export const OVERVIEW_URL = "/api/overview";
export const SETTINGS_URL = "/api/settings";

export function activityUrl(targetId: string): string {
  return `${target(targetId)}/activity`;
}

/** What a list page asks the server for: a page of rows matching q, sorted; or every such row as CSV. */
export interface ListQuery<S extends string> {
  sort: S;
  dir: "asc" | "desc";
  q: string | null;
  /** Absent: every row (the CSV export). */
  page?: { limit: number; offset: number };
  format?: "csv";
}

function listParams<S extends string>(l: ListQuery<S>, p = new URLSearchParams()): URLSearchParams {
  if (l.page) {
    p.set("limit", String(l.page.limit));
    p.set("offset", String(l.page.offset));
  }
  p.set("sort", l.sort);
  p.set("dir", l.dir);
  if (l.q) p.set("q", l.q);
  if (l.format) p.set("format", l.format);
  return p;
}

export function indexesUrl(targetId: string, l?: ListQuery<IndexSort> & { flag: IndexFlag }): string {
  if (!l) return `${target(targetId)}/indexes`;
  const p = listParams(l);
  if (l.flag !== "all") p.set("flag", l.flag);
  return `${target(targetId)}/indexes?${p}`;
}

export function replicationUrl(targetId: string): string {
  return `${target(targetId)}/replication`;
}

export function explainUrl(targetId: string): string {
  return `${target(targetId)}/explain`;
}

/** The checkpoint window: one of the history ranges, the last hour by default. */
export const CHECKPOINT_WINDOWS = HISTORY_RANGES;
export type CheckpointWindow = (typeof CHECKPOINT_WINDOWS)[number];
export const DEFAULT_CHECKPOINT_WINDOW: CheckpointWindow = "1h";

export function maintenanceUrl(targetId: string, window: CheckpointWindow): string {
  return `${target(targetId)}/maintenance?${new URLSearchParams({ window })}`;
}

export function seriesUrl(targetId: string, metric: SeriesMetric, from: Date, to: Date, step?: number, standby?: string): string {
  const p = new URLSearchParams({ metric, from: from.toISOString(), to: to.toISOString() });
  if (step) p.set("step", String(step));
  if (standby !== undefined) p.set("standby", standby);
  return `${target(targetId)}/series?${p}`;
}

/**
 * The tables list over a relative range (`range=24h`: one answer per snapshot for every viewer)
 * or an absolute one (from/to).
 */
export function tablesUrl(targetId: string, range: { key: string } | { from: Date; to: Date }, l: ListQuery<TableSort>): string {
  const p = "key" in range ? new URLSearchParams({ range: range.key }) : window(range.from, range.to);
  return `${target(targetId)}/tables?${listParams(l, p)}`;
}

export function tableHistoryUrl(targetId: string, schema: string, table: string, from: Date, to: Date): string {
  const p = new URLSearchParams({ schema, table, from: from.toISOString(), to: to.toISOString() });
  return `${target(targetId)}/tables/history?${p}`;
}

export function slowQueriesUrl(targetId: string, from: Date, to: Date): string {
  return `${target(targetId)}/slow-queries?${window(from, to)}`;
}

export function slowQueryDetailUrl(targetId: string, fingerprint: string, from: Date, to: Date): string {
  return `${target(targetId)}/slow-queries/${encodeURIComponent(fingerprint)}?${window(from, to)}`;
}

export function alertListUrl(q: { state?: AlertState[]; target?: string; rule?: string; from?: Date; to?: Date }): string {
  const p = new URLSearchParams();
  for (const s of q.state ?? []) p.append("state", s);
  if (q.target) p.set("target", q.target);
  if (q.rule) p.set("rule", q.rule);
  if (q.from) p.set("from", q.from.toISOString());
  if (q.to) p.set("to", q.to.toISOString());
  const s = p.toString();
  return `/api/alerts${s ? `?${s}` : ""}`;
}

/** POST: a test message through one channel (admin). */
export function testNotificationUrl(channelId: string): string {
  return `/api/channels/${encodeURIComponent(channelId)}/test`;
}

export function trendsUrl(q: { week?: string | null; target?: string | null; tz?: string | null }): string {
  const p = new URLSearchParams();
  if (q.week) p.set("week", q.week);
  if (q.target) p.set("target", q.target);
  if (q.tz && q.tz !== "UTC") p.set("tz", q.tz);
  const s = p.toString();
  return s ? `/api/trends?${s}` : "/api/trends";
}
