"use client";

import { useQueries, useQuery, keepPreviousData } from "@tanstack/react-query";
import type { activityResponseSchema } from "@/lib/api/activity";
import type { alertCountSchema, alertDetailResponseSchema, alertListResponseSchema, alertStatsResponseSchema, notificationListResponseSchema, silenceListResponseSchema, AlertState } from "@/lib/api/alerts";
import { fetchJson } from "@/lib/api/fetch-json";
import type { healthSchema } from "@/lib/api/health";
import type { indexesResponseSchema } from "@/lib/api/indexes";
import type { maintenanceResponseSchema } from "@/lib/api/maintenance";
import type { meSchema } from "@/lib/api/me";
import type { overviewResponseSchema } from "@/lib/api/overview";
import type { replicationResponseSchema } from "@/lib/api/replication";
import type { seriesResponseSchema, SeriesMetric } from "@/lib/api/series";
import type { settingsResponseSchema } from "@/lib/api/settings";
import type { slowQueriesResponseSchema, slowQueryDetailSchema } from "@/lib/api/slow-queries";
import type { tableHistoryResponseSchema, tablesResponseSchema } from "@/lib/api/tables";
import type { targetListSchema } from "@/lib/api/targets";
import type { IndexFlag, IndexSort, TableSort } from "@/lib/api/list-sorts";
import { HISTORY_RANGES, REFRESH_MS, stepSecondsFor } from "@/lib/limits";
import { resolveRange, type TimeRange } from "@/lib/api/search-params";
import { activityUrl, alertListUrl, indexesUrl, maintenanceUrl, type CheckpointWindow, ME_URL, OVERVIEW_URL, replicationUrl, seriesUrl, SETTINGS_URL, slowQueriesUrl, slowQueryDetailUrl, tableHistoryUrl, tablesUrl, type ListQuery } from "@/lib/api/urls";

/** A stable cache key for a range; relative ranges resolve to a fresh window on every fetch. */
export function rangeKey(r: TimeRange): string {
  return r.kind === "relative" ? r.key : `${r.from}/${r.to}`;
}
const windowOf = (r: TimeRange) => resolveRange(r, Date.now());

// One hook per resource. Each panel calls the hook it needs; react-query shares one request
// between panels asking for the same key, so the page costs one request per resource.

export function useHealth() {
  return useQuery({ queryKey: ["health"], queryFn: () => fetchJson<typeof healthSchema>("/api/health"), refetchInterval: REFRESH_MS.overview });
}

export function useTargets() {
  return useQuery({ queryKey: ["targets"], queryFn: () => fetchJson<typeof targetListSchema>("/api/targets"), staleTime: 60_000 });
}

/** The fleet: every target with its status, figures and sparkline in one answer. */
export function useOverview() {
  return useQuery({
    queryKey: ["overview"],
    queryFn: () => fetchJson<typeof overviewResponseSchema>(OVERVIEW_URL),
    refetchInterval: REFRESH_MS.overview,
  });
}

export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: async () => {
      try {
        return await fetchJson<typeof meSchema>(ME_URL);
      } catch {
        // Unknown identity: act as a viewer. The server decides anyway.
        return null;
      }
    },
    staleTime: 60_000,
  });
}

export function useActivity(targetId: string, paused: boolean) {
  return useQuery({
    queryKey: ["activity", targetId],
    queryFn: () => fetchJson<typeof activityResponseSchema>(activityUrl(targetId)),
    refetchInterval: paused ? false : REFRESH_MS.live,
    placeholderData: keepPreviousData,
  });
}

/** Several series over the same window, fetched in parallel; the window is computed per fetch. */
export function useSeries(targetId: string, metrics: readonly SeriesMetric[], rangeMs: number, opts: { paused?: boolean; refetchMs?: number } = {}) {
  return useSeriesLines(targetId, metrics.map((metric) => ({ metric })), rangeMs, opts);
}

/** One line of a chart: a series, for one standby when the series is per standby. */
export interface SeriesLine {
  metric: SeriesMetric;
  standby?: string;
}

export function useSeriesLines(targetId: string, lines: readonly SeriesLine[], rangeMs: number, opts: { paused?: boolean; refetchMs?: number } = {}) {
  const step = stepSecondsFor(rangeMs);
  return useQueries({
    queries: lines.map(({ metric, standby }) => ({
      queryKey: ["series", targetId, metric, rangeMs, ...(standby === undefined ? [] : [standby])],
      queryFn: () => {
        const to = Date.now();
        return fetchJson<typeof seriesResponseSchema>(seriesUrl(targetId, metric, new Date(to - rangeMs), new Date(to), step, standby));
      },
      refetchInterval: opts.paused ? (false as const) : (opts.refetchMs ?? REFRESH_MS.charts),
      placeholderData: keepPreviousData,
    })),
  });
}

/** A relative range goes as its key (one answer per snapshot for every viewer); an absolute one as from/to. */
const tablesRange = (r: TimeRange) => ((HISTORY_RANGES as readonly string[]).includes(rangeKey(r)) ? { key: rangeKey(r) } : windowOf(r));

/** The tables list's address for a page, or (no page) for every row as CSV. */
export const tablesListUrl = (targetId: string, range: TimeRange, l: ListQuery<TableSort>) => tablesUrl(targetId, tablesRange(range), l);

/** One page of the tables list, as the server sorts and filters it. */
export function useTables(targetId: string, range: TimeRange, l: ListQuery<TableSort>, enabled = true) {
  return useQuery({
    enabled,
    queryKey: ["tables", targetId, rangeKey(range), l.sort, l.dir, l.q, l.page?.offset, l.page?.limit],
    queryFn: () => fetchJson<typeof tablesResponseSchema>(tablesListUrl(targetId, range, l)),
    refetchInterval: REFRESH_MS.tables,
    placeholderData: keepPreviousData,
  });
}

export function useTableHistory(targetId: string, schema: string, table: string, range: TimeRange) {
  return useQuery({
    queryKey: ["table-history", targetId, schema, table, rangeKey(range)],
    queryFn: () => {
      const w = windowOf(range);
      return fetchJson<typeof tableHistoryResponseSchema>(tableHistoryUrl(targetId, schema, table, w.from, w.to));
    },
    refetchInterval: REFRESH_MS.tables,
  });
}

export function useReplication(targetId: string) {
  return useQuery({
    queryKey: ["replication", targetId],
    queryFn: () => fetchJson<typeof replicationResponseSchema>(replicationUrl(targetId)),
    refetchInterval: REFRESH_MS.charts,
    placeholderData: keepPreviousData,
  });
}

/** One page of the indexes list, as the server sorts and filters it. */
export function useIndexes(targetId: string, l: ListQuery<IndexSort> & { flag: IndexFlag }) {
  return useQuery({
    queryKey: ["indexes", targetId, l.sort, l.dir, l.q, l.flag, l.page?.offset, l.page?.limit],
    queryFn: () => fetchJson<typeof indexesResponseSchema>(indexesUrl(targetId, l)),
    refetchInterval: REFRESH_MS.tables,
    placeholderData: keepPreviousData,
  });
}

export function useSlowQueries(targetId: string, range: TimeRange) {
  return useQuery({
    queryKey: ["slow-queries", targetId, rangeKey(range)],
    queryFn: () => {
      const w = windowOf(range);
      return fetchJson<typeof slowQueriesResponseSchema>(slowQueriesUrl(targetId, w.from, w.to));
    },
    refetchInterval: REFRESH_MS.charts,
    placeholderData: keepPreviousData,
  });
}

export function useSlowQueryDetail(targetId: string, fingerprint: string, range: TimeRange) {
  return useQuery({
    queryKey: ["slow-query", targetId, fingerprint, rangeKey(range)],
    queryFn: () => {
      const w = windowOf(range);
      return fetchJson<typeof slowQueryDetailSchema>(slowQueryDetailUrl(targetId, fingerprint, w.from, w.to));
    },
    refetchInterval: REFRESH_MS.charts,
  });
}

/** Firing and pending counts for the nav badge; the alert actions invalidate the same key. */
export function useAlertCount() {
  return useQuery({ queryKey: ["alert-count"], queryFn: () => fetchJson<typeof alertCountSchema>("/api/alerts/count"), refetchInterval: REFRESH_MS.alertCount });
}

/** Alerts matching filters; with a range, only those active within it. */
export function useAlerts(q: { state?: AlertState[]; target?: string | null; rule?: string | null; range?: TimeRange }) {
  return useQuery({
    queryKey: ["alerts", q.state?.join(",") ?? "", q.target ?? "", q.rule ?? "", q.range ? rangeKey(q.range) : ""],
    queryFn: () => {
      const w = q.range ? windowOf(q.range) : null;
      return fetchJson<typeof alertListResponseSchema>(
        alertListUrl({ state: q.state, target: q.target ?? undefined, rule: q.rule ?? undefined, from: w?.from, to: w?.to }),
      );
    },
    refetchInterval: REFRESH_MS.alerts,
    placeholderData: keepPreviousData,
  });
}

/** What fires now (the alerts page's first panel; its page waits on the same answer). */
export function useActiveAlerts() {
  return useAlerts({ state: ["firing", "pending"] });
}

export function useAlertStats(range: TimeRange) {
  return useQuery({
    queryKey: ["alert-stats", rangeKey(range)],
    queryFn: () => {
      const w = windowOf(range);
      return fetchJson<typeof alertStatsResponseSchema>(`/api/alerts/stats?${new URLSearchParams({ from: w.from.toISOString(), to: w.to.toISOString() })}`);
    },
    refetchInterval: REFRESH_MS.alerts * 6,
  });
}

export function useSettings() {
  return useQuery({ queryKey: ["settings"], queryFn: () => fetchJson<typeof settingsResponseSchema>(SETTINGS_URL) });
}

/** One metric for several targets (same cache keys as useSeries, so rows and charts share). */
export function useSeriesForTargets(targetIds: readonly string[], metric: SeriesMetric, rangeMs: number, refetchMs: number = REFRESH_MS.charts) {
  const step = stepSecondsFor(rangeMs);
  return useQueries({
    queries: targetIds.map((targetId) => ({
      queryKey: ["series", targetId, metric, rangeMs],
      queryFn: () => {
        const to = Date.now();
        return fetchJson<typeof seriesResponseSchema>(seriesUrl(targetId, metric, new Date(to - rangeMs), new Date(to), step));
      },
      refetchInterval: refetchMs,
      placeholderData: keepPreviousData,
    })),
  });
}

export function useAlertDetail(id: string) {
  return useQuery({
    queryKey: ["alert", id],
    queryFn: () => fetchJson<typeof alertDetailResponseSchema>(`/api/alerts/${encodeURIComponent(id)}`),
    refetchInterval: REFRESH_MS.alerts,
  });
}

export function useNotifications(alertId: string) {
  return useQuery({
    queryKey: ["alert", alertId, "notifications"],
    queryFn: () => fetchJson<typeof notificationListResponseSchema>(`/api/notifications?${new URLSearchParams({ alert: alertId })}`),
    refetchInterval: REFRESH_MS.alerts,
  });
}

export function useSilences() {
  return useQuery({ queryKey: ["silences"], queryFn: () => fetchJson<typeof silenceListResponseSchema>("/api/silences"), refetchInterval: REFRESH_MS.alerts * 3 });
}

/** Vacuums in progress are live; the rest of the answer rides along (one request per page). */
export function useMaintenance(targetId: string, window: CheckpointWindow) {
  return useQuery({
    queryKey: ["maintenance", targetId, window],
    queryFn: () => fetchJson<typeof maintenanceResponseSchema>(maintenanceUrl(targetId, window)),
    refetchInterval: REFRESH_MS.live,
    placeholderData: keepPreviousData,
  });
}
