import "server-only";
import { seriesSourceMetric } from "@/lib/analysis/series";
import type { SeriesQuery } from "@/lib/api/series";
import { alertsChangeCount } from "@/lib/alerts/changes";
import type { Role } from "@/lib/auth/roles";
import type { Runtime } from "@/lib/server/wiring/runtime";
import { processWide } from "@/lib/process-wide";
import { boundedAnswers } from "./bounded-answers";
import type { parseAlertListQuery } from "./alerts-read";

// The history routes' answers (series, alert list), kept while what they are read from holds,
// so 100 viewers of one chart or list cost one store read per sample, not one per request.
// Keyed by the normalized query; bounded by bytes (bounded-answers.ts).

/** A series over the window ending now is asked with a slightly different `to` by every viewer. */
const series = processWide("seriesAnswers", () => boundedAnswers(32 * 1024 * 1024));
const alerts = processWide("alertListAnswers", () => boundedAnswers(4 * 1024 * 1024));

/**
 * An explicit past window reads rows that no longer change; it is kept this long all the same,
 * because retention and the rollups may still replace them with coarser ones.
 */
const PAST_SERIES_MAX_AGE_MS = 10 * 60_000;
/**
 * The alert list moves with this process's writes (alertsChangeCount) and with the clock
 * (silences start and end); another instance on the same store writes unseen. At most this old.
 */
const ALERT_LIST_MAX_AGE_MS = 5_000;

/**
 * A series answer. A window ending within one cadence of now is "the last N up to now": its
 * `now` is quantized to the metric's cadence and the answer holds until the next sample lands
 * in the snapshot or the cadence ticks, whichever first; it is built with the window ending at
 * build time, so it is never older than one cadence. Any other window is kept as asked.
 */
export function seriesAnswer(rt: Runtime, targetId: string, q: SeriesQuery, build: (q: SeriesQuery) => Promise<string>, now = Date.now()): Promise<string> {
  const source = seriesSourceMetric(q.metric);
  const cadenceMs = Math.max(1_000, rt.cadenceMs(source));
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  const base = [targetId, q.metric, q.step ?? "", q.database ?? "", q.standby ?? ""];
  if (to > now - cadenceMs) {
    // Whole seconds: viewers' ranges differ by the milliseconds between their clocks' reads.
    const rangeMs = Math.round((to - from) / 1000) * 1000;
    const key = [...base, "live", rangeMs].join("\u0000");
    const latest = rt.snapshot(targetId)?.metrics[source];
    return series.get(rt, key, [Math.floor(now / cadenceMs), latest], () => {
      const at = Date.now();
      return build({ ...q, from: new Date(at - rangeMs).toISOString(), to: new Date(at).toISOString() });
    });
  }
  const key = [...base, q.from, q.to].join("\u0000");
  return series.get(rt, key, [Math.floor(now / PAST_SERIES_MAX_AGE_MS)], () => build(q));
}

type AlertListQuery = ReturnType<typeof parseAlertListQuery>;

/**
 * The alert list as `role` reads it (a viewer's SQL is redacted), per normalized query. A window
 * ending within the age bound of now ("active in the last 24 h", sent with each viewer's clock)
 * is keyed by its length and built up to the moment of the build, like a live series.
 */
export function alertListAnswer(rt: Runtime, role: Role, q: AlertListQuery, build: (q: AlertListQuery) => Promise<string>, now = Date.now()): Promise<string> {
  const version = [alertsChangeCount(rt.store.pool), Math.floor(now / ALERT_LIST_MAX_AGE_MS)];
  const base = [role, [...(q.state ?? [])].sort().join(","), q.target ?? "", q.rule ?? ""];
  const to = q.to === undefined ? null : Date.parse(q.to);
  if (q.from !== undefined && to !== null && to > now - ALERT_LIST_MAX_AGE_MS) {
    const lengthMs = Math.round((to - Date.parse(q.from)) / 1000) * 1000;
    return alerts.get(rt, [...base, "live", lengthMs].join("\u0000"), version, () => {
      const at = Date.now();
      return build({ ...q, from: new Date(at - lengthMs).toISOString(), to: new Date(at).toISOString() });
    });
  }
  return alerts.get(rt, [...base, q.from ?? "", q.to ?? ""].join("\u0000"), version, () => build(q));
}

/** Builds and hits since start, for tests. */
export const historyAnswerCounts = () => ({ series: series.counts(), alerts: alerts.counts() });
