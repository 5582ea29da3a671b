import { formatDuration } from "@/lib/format/duration";
import { formatXidAge } from "@/lib/format/number";
import type { Alert } from "./alerts";
import type { Severity } from "./common";
import type { SeriesMetric } from "./series-metrics";

// How alerts are ordered and read on the pages, free of zod so the browser can import it; the
// alert contract itself is lib/api/alerts.ts.

export const ALERT_STATES = ["inactive", "pending", "firing", "resolved"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const STATE_ORDER: Record<AlertState, number> = { firing: 0, pending: 1, resolved: 2, inactive: 3 };

/** Firing then pending first, by severity, the oldest first within a group. */
export function sortAlerts<T extends Pick<Alert, "state" | "severity" | "since">>(alerts: readonly T[]): T[] {
  return [...alerts].sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      Date.parse(a.since) - Date.parse(b.since),
  );
}

/** The series drawn as a sparkline next to an alert of this rule, when one fits. */
export function sparklineMetricFor(rule: string): SeriesMetric | null {
  const map: Record<string, SeriesMetric> = {
    cache_hit_ratio: "cache_hit_ratio",
    connection_saturation: "connection_saturation",
    slow_query: "slow_queries_per_minute",
    idle_in_transaction: "connections_idle_in_transaction",
    blocked_sessions: "connections_waiting_lock",
    long_transaction: "longest_query_seconds",
    target_down: "connections_total",
  };
  return map[rule] ?? null;
}


/** Value and threshold as people read them, by the alert's unit. */
export function formatAlertValue(v: number | null, unit: string | null): string {
  if (v === null) return "—";
  const n = (x: number, d = 1) => (Number.isInteger(x) ? String(x) : x.toFixed(d));
  switch (unit) {
    case "bytes": {
      const units = ["bytes", "kB", "MB", "GB", "TB"];
      let x = v;
      let i = 0;
      while (Math.abs(x) >= 1024 && i < units.length - 1) {
        x /= 1024;
        i++;
      }
      return `${n(x)} ${units[i]}`;
    }
    case "percent":
      return `${n(v)} %`;
    case "ratio":
      return `${n(v * 100)} %`;
    // Durations in their compact form ("1.5 s", "5 min 1 s"), as the summaries write them.
    case "ms":
      return formatDuration(v);
    case "seconds":
      return formatDuration(v * 1000);
    case "xid":
      return formatXidAge(v);
    default:
      return n(v, 2);
  }
}
