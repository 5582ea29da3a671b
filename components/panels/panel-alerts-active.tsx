"use client";

import Link from "next/link";
import { Sparkline } from "@/components/charts/sparkline";
import { Badge, BadgeSeverity, BadgeState } from "@/components/ui/badge";
import { CsvButton } from "@/components/ui/csv-button";
import { cx } from "@/components/ui/cx";
import { LINK, TONE_TEXT } from "@/components/ui/palette";
import type { Alert } from "@/lib/api/alerts";
import { can } from "@/lib/auth/actions";
import { formatDuration } from "@/lib/format/duration";
import { formatAgo } from "@/lib/format/time";
import { RANGE_MS } from "@/lib/limits";
import { AckButton, SilenceButton } from "./alert-dialogs";
import { Panel } from "./panel";
import { alertCsvColumns } from "./panel-alert-csv";
import { useActiveAlerts, useMe, useSeries } from "./queries";
import { usePanelState } from "./use-panel-state";
import { formatAlertValue, sortAlerts, sparklineMetricFor } from "@/lib/api/alert-view";

// What is wrong now: firing, then pending, the most severe first, each with what it measures
// against what, for how long, and the two actions a responder takes.

export function PanelAlertsActive() {
  const q = useActiveAlerts();
  const me = useMe();
  const { state, now } = usePanelState(q, { everyMs: 1000 });
  const alerts = sortAlerts(q.data?.alerts ?? []);
  const responder = can(me.data?.role, "ack");
  return (
    <Panel
      testId="panel-alerts-active"
      title="Firing and pending"
      state={state}
      error={q.error}
      actions={
        <>
          {responder ? <SilenceButton label="New silence" /> : null}
          <CsvButton rows={alerts} columns={alertCsvColumns(alerts)} name="alerts-active" />
        </>
      }
    >
      {alerts.length === 0 ? (
        <p data-testid="alerts-none" className={cx("text-sm", TONE_TEXT.good)}>
          Nothing is firing or pending.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {alerts.map((a) => (
            <AlertRow key={a.id} alert={a} now={now} responder={responder} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

function AlertRow({ alert: a, now, responder }: { alert: Alert; now: number; responder: boolean }) {
  const age = now - Date.parse(a.since);
  return (
    <li data-testid={`alert-row-${a.id}`} data-state={a.state} data-severity={a.severity} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-2">
      <div className="flex w-44 items-center gap-1">
        <BadgeSeverity severity={a.severity} />
        <BadgeState state={a.state} />
      </div>
      <div className="min-w-56 flex-1">
        <Link href={`/alerts/${encodeURIComponent(a.id)}`} className={cx("font-medium", LINK)}>
          {a.rule}
        </Link>{" "}
        <span className="text-sm text-slate-500 dark:text-slate-400">on</span>{" "}
        <Link href={`/targets/${encodeURIComponent(a.target)}/live`} className="text-sm hover:underline">
          {a.target}
        </Link>
        {a.object ? <div className="truncate font-mono text-xs" title={a.object}>{a.object}</div> : null}
        {a.summary ? <div className={cx("text-xs", TONE_TEXT.secondary)}>{a.summary}</div> : null}
      </div>
      <div className="w-48 text-sm tabular" title={`value ${a.value ?? "unknown"}, threshold ${a.threshold ?? "unknown"}`}>
        <span className="font-semibold">{formatAlertValue(a.value, a.unit)}</span>
        <span className="text-slate-500 dark:text-slate-400"> vs {formatAlertValue(a.threshold, a.unit)}</span>
      </div>
      <div className="w-32 text-sm" title={a.since}>
        {a.state === "pending" ? "pending " : "for "}
        {formatDuration(Math.max(0, age))}
      </div>
      <AlertSparkline alert={a} now={now} />
      <div className="flex w-56 flex-wrap items-center gap-1">
        {a.acknowledgedBy ? (
          <Badge tone="info" data-testid="ack-by" title={a.ackComment ?? undefined}>
            acked by {a.acknowledgedBy} {a.acknowledgedAt ? formatAgo(a.acknowledgedAt, now) : ""}
          </Badge>
        ) : responder && a.state === "firing" ? (
          <AckButton alert={a} />
        ) : null}
        {a.silencedBy ? (
          <Badge tone="muted" title={`${a.silencedBy.reason} (by ${a.silencedBy.createdBy})`}>
            silenced until {new Date(a.silencedBy.endsAt).toLocaleTimeString()}
          </Badge>
        ) : responder ? (
          <SilenceButton alert={a} />
        ) : null}
      </div>
    </li>
  );
}

/** The rule's metric around the event: the smallest window that shows its start. */
function AlertSparkline({ alert, now }: { alert: Alert; now: number }) {
  const metric = sparklineMetricFor(alert.rule);
  const age = now - Date.parse(alert.since);
  const window = age < RANGE_MS["1h"] * 0.75 ? RANGE_MS["1h"] : age < RANGE_MS["6h"] * 0.75 ? RANGE_MS["6h"] : RANGE_MS["24h"];
  const [s] = useSeries(alert.target, metric ? [metric] : [], window);
  if (!metric) return <span className="w-24" />;
  const ref = alert.unit === "ratio" || alert.unit === "percent" ? (alert.threshold ?? undefined) : undefined;
  return <Sparkline points={s?.data?.points ?? []} label={`${metric} around the alert`} reference={ref} />;
}
