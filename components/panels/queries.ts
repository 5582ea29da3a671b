"use client";

import { useQueries, useQuery, keepPreviousData } from "@tanstack/react-query";
import { activityResponseSchema, activityUrl } from "@/lib/api/activity";
import {
  alertCountSchema,
  alertDetailResponseSchema,
  alertListResponseSchema,
  alertListUrl,
  alertStatsResponseSchema,
  notificationListResponseSchema,
  silenceListResponseSchema,
  type AlertState,
} from "@/lib/api/alerts";
import { fetchJson, ApiError } from "@/lib/api/fetch-json";
import { healthSchema } from "@/lib/api/health";
import { indexesResponseSchema, indexesUrl } from "@/lib/api/indexes";
import { maintenanceResponseSchema, maintenanceUrl, type CheckpointWindow } from "@/lib/api/maintenance";
import { meSchema, ME_URL } from "@/lib/api/me";
import { overviewResponseSchema, OVERVIEW_URL } from "@/lib/api/overview";
import { replicationResponseSchema, replicationUrl } from "@/lib/api/replication";
import { seriesResponseSchema, seriesUrl, type SeriesMetric } from "@/lib/api/series";
import { settingsResponseSchema, SETTINGS_URL } from "@/lib/api/settings";
import { slowQueriesResponseSchema, slowQueriesUrl, slowQueryDetailSchema, slowQueryDetailUrl } from "@/lib/api/slow-queries";
import { tableHistoryResponseSchema, tableHistoryUrl, tablesResponseSchema, tablesUrl } from "@/lib/api/tables";
import { targetListSchema } from "@/lib/api/targets";
import { REFRESH_MS, stepSecondsFor } from "@/lib/limits";
import { resolveRange, type TimeRange } from "@/lib/api/search-params";

/** A stable cache key for a range; relative ranges resolve to a fresh window on every fetch. */
export function rangeKey(r: TimeRange): string {
  return r.kind === "relative" ? r.key : `${r.from}/${r.to}`;
}
const windowOf = (r: TimeRange) => resolveRange(r, Date.now());

// One hook per resource. Each panel calls the hook it needs; react-query shares one request
// between panels asking for the same key, so the page costs one request per resource.

export function useHealth() {
  return useQuery({ queryKey: ["health"], queryFn: () => fetchJson("/api/health", healthSchema), refetchInterval: REFRESH_MS.overview });
}

export function useTargets() {
  return useQuery({ queryKey: ["targets"], queryFn: () => fetchJson("/api/targets", targetListSchema), staleTime: 60_000 });
}

/** Optional enrichment: a 404 (endpoint not there) resolves to null rather than an error. */
export function useOverview() {
  return useQuery({
    queryKey: ["overview"],
    queryFn: async () => {
      try {
        return await fetchJson(OVERVIEW_URL, overviewResponseSchema);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    refetchInterval: REFRESH_MS.overview,
    retry: false,
  });
}

export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: async () => {
      try {
        return await fetchJson(ME_URL, meSchema);
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
    queryFn: () => fetchJson(activityUrl(targetId), activityResponseSchema),
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
        return fetchJson(seriesUrl(targetId, metric, new Date(to - rangeMs), new Date(to), step, standby), seriesResponseSchema);
      },
      refetchInterval: opts.paused ? (false as const) : (opts.refetchMs ?? REFRESH_MS.charts),
      placeholderData: keepPreviousData,
    })),
  });
}

export function useTables(targetId: string, range: TimeRange) {
  return useQuery({
    queryKey: ["tables", targetId, rangeKey(range)],
    queryFn: () => {
      const w = windowOf(range);
      return fetchJson(tablesUrl(targetId, w.from, w.to), tablesResponseSchema);
    },
    refetchInterval: REFRESH_MS.tables,
    placeholderData: keepPreviousData,
  });
}

export function useTableHistory(targetId: string, schema: string, table: string, range: TimeRange) {
  return useQuery({
    queryKey: ["table-history", targetId, schema, table, rangeKey(range)],
    queryFn: () => {
      const w = windowOf(range);
      return fetchJson(tableHistoryUrl(targetId, schema, table, w.from, w.to), tableHistoryResponseSchema);
    },
    refetchInterval: REFRESH_MS.tables,
  });
}

export function useReplication(targetId: string) {
  return useQuery({
    queryKey: ["replication", targetId],
    queryFn: () => fetchJson(replicationUrl(targetId), replicationResponseSchema),
    refetchInterval: REFRESH_MS.charts,
    placeholderData: keepPreviousData,
  });
}

export function useIndexes(targetId: string) {
  return useQuery({ queryKey: ["indexes", targetId], queryFn: () => fetchJson(indexesUrl(targetId), indexesResponseSchema), refetchInterval: REFRESH_MS.tables });
}

export function useSlowQueries(targetId: string, range: TimeRange) {
  return useQuery({
    queryKey: ["slow-queries", targetId, rangeKey(range)],
    queryFn: () => {
      const w = windowOf(range);
      return fetchJson(slowQueriesUrl(targetId, w.from, w.to), slowQueriesResponseSchema);
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
      return fetchJson(slowQueryDetailUrl(targetId, fingerprint, w.from, w.to), slowQueryDetailSchema);
    },
    refetchInterval: REFRESH_MS.charts,
  });
}

/** Firing and pending counts for the nav badge; the alert actions invalidate the same key. */
export function useAlertCount() {
  return useQuery({ queryKey: ["alert-count"], queryFn: () => fetchJson("/api/alerts/count", alertCountSchema), refetchInterval: REFRESH_MS.alertCount });
}

/** Alerts matching filters; with a range, only those active within it. */
export function useAlerts(q: { state?: AlertState[]; target?: string | null; rule?: string | null; range?: TimeRange }) {
  return useQuery({
    queryKey: ["alerts", q.state?.join(",") ?? "", q.target ?? "", q.rule ?? "", q.range ? rangeKey(q.range) : ""],
    queryFn: () => {
      const w = q.range ? windowOf(q.range) : null;
      return fetchJson(
        alertListUrl({ state: q.state, target: q.target ?? undefined, rule: q.rule ?? undefined, from: w?.from, to: w?.to }),
        alertListResponseSchema,
      );
    },
    refetchInterval: REFRESH_MS.alerts,
    placeholderData: keepPreviousData,
  });
}

export function useAlertStats(range: TimeRange) {
  return useQuery({
    queryKey: ["alert-stats", rangeKey(range)],
    queryFn: () => {
      const w = windowOf(range);
      return fetchJson(`/api/alerts/stats?${new URLSearchParams({ from: w.from.toISOString(), to: w.to.toISOString() })}`, alertStatsResponseSchema);
    },
    refetchInterval: REFRESH_MS.alerts * 6,
  });
}

export function useSettings() {
  return useQuery({ queryKey: ["settings"], queryFn: () => fetchJson(SETTINGS_URL, settingsResponseSchema) });
}

/** One metric for several targets (same cache keys as useSeries, so rows and charts share). */
export function useSeriesForTargets(targetIds: readonly string[], metric: SeriesMetric, rangeMs: number, refetchMs: number = REFRESH_MS.charts) {
  const step = stepSecondsFor(rangeMs);
  return useQueries({
    queries: targetIds.map((targetId) => ({
      queryKey: ["series", targetId, metric, rangeMs],
      queryFn: () => {
        const to = Date.now();
        return fetchJson(seriesUrl(targetId, metric, new Date(to - rangeMs), new Date(to), step), seriesResponseSchema);
      },
      refetchInterval: refetchMs,
      placeholderData: keepPreviousData,
    })),
  });
}

export function useAlertDetail(id: string) {
  return useQuery({
    queryKey: ["alert", id],
    queryFn: () => fetchJson(`/api/alerts/${encodeURIComponent(id)}`, alertDetailResponseSchema),
    refetchInterval: REFRESH_MS.alerts,
  });
}

export function useNotifications(alertId: string) {
  return useQuery({
    queryKey: ["alert", alertId, "notifications"],
    queryFn: () => fetchJson(`/api/notifications?${new URLSearchParams({ alert: alertId })}`, notificationListResponseSchema),
    refetchInterval: REFRESH_MS.alerts,
  });
}

export function useSilences() {
  return useQuery({ queryKey: ["silences"], queryFn: () => fetchJson("/api/silences", silenceListResponseSchema), refetchInterval: REFRESH_MS.alerts * 3 });
}

/** Vacuums in progress are live; the rest of the answer rides along (one request per page). */
export function useMaintenance(targetId: string, window: CheckpointWindow) {
  return useQuery({
    queryKey: ["maintenance", targetId, window],
    queryFn: () => fetchJson(maintenanceUrl(targetId, window), maintenanceResponseSchema),
    refetchInterval: REFRESH_MS.live,
    placeholderData: keepPreviousData,
  });
}
