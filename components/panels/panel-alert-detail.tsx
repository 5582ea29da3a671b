"use client";

import Link from "next/link";
import { Badge, BadgeSeverity, BadgeState } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { LINK, TONE_TEXT } from "@/components/ui/palette";
import { Time } from "@/components/ui/value";
import { can } from "@/lib/auth/actions";
import { formatDuration } from "@/lib/format/duration";
import { formatAgo, formatDateTime } from "@/lib/format/time";
import { AckButton, SilenceButton } from "./alert-dialogs";
import { AlertExplained } from "./panel-alert-explained";
import { Panel } from "./panel";
import { useAlertDetail, useMe, useNotifications } from "./queries";
import { usePanelState } from "./use-panel-state";
import { formatAlertValue } from "@/lib/api/alert-view";

/** One alert: its figures, every state change, and every notification delivery attempt. */
export function PanelAlertDetail({ id }: { id: string }) {
  const q = useAlertDetail(id);
  const me = useMe();
  const { state, now } = usePanelState(q, { everyMs: 1000 });
  const a = q.data?.alert;
  const responder = can(me.data?.role, "ack");
  return (
    <div className="space-y-4">
      <Panel testId="panel-alert-detail" title={a ? `${a.rule}${a.object ? ` · ${a.object}` : ""}` : "Alert"} state={state} error={q.error}>
        {a ? (
          <div className="space-y-3" data-testid={`alert-row-${a.id}`}>
            <div className="flex flex-wrap items-center gap-2">
              <BadgeSeverity severity={a.severity} />
              <BadgeState state={a.state} />
              <Link href={`/targets/${encodeURIComponent(a.target)}/live`} className={cx("text-sm", LINK)}>
                {a.target}
              </Link>
              {Object.entries(a.labels).map(([k, v]) => (
                <Badge key={k} tone="muted">
                  {k}={v}
                </Badge>
              ))}
            </div>
            <AlertExplained alert={a} context={q.data!.context} />
            <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-3">
              <div>
                <dt className="text-xs text-slate-500 dark:text-slate-400">since</dt>
                <dd>
                  <Time iso={a.since}>
                    {formatDateTime(a.since)} ({formatDuration(Math.max(0, (a.resolvedAt ? Date.parse(a.resolvedAt) : now) - Date.parse(a.since)))})
                  </Time>
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500 dark:text-slate-400">acknowledged</dt>
                <dd data-testid="ack-by">{a.acknowledgedBy ? `${a.acknowledgedBy}, ${formatAgo(a.acknowledgedAt, now)}${a.ackComment ? `: “${a.ackComment}”` : ""}` : "no"}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500 dark:text-slate-400">silenced</dt>
                <dd>{a.silencedBy ? `until ${formatDateTime(a.silencedBy.endsAt)} by ${a.silencedBy.createdBy}: ${a.silencedBy.reason}` : "no"}</dd>
              </div>
            </dl>
            {responder ? (
              <div className="flex gap-2">
                {a.state === "firing" && !a.acknowledgedBy ? <AckButton alert={a} /> : null}
                {!a.silencedBy ? <SilenceButton alert={a} /> : null}
              </div>
            ) : null}
            <div>
              <h3 className="mb-1 text-xs font-semibold text-slate-500 dark:text-slate-400">state changes</h3>
              <ol className="space-y-1 text-sm" data-testid="alert-events">
                {q.data!.events.map((e) => (
                  <li key={e.id} className="flex flex-wrap gap-2">
                    <Time iso={e.at}>{formatDateTime(e.at)}</Time>
                    <span>
                      {e.fromState} → <strong>{e.toState}</strong>
                    </span>
                    <span className="text-slate-500 dark:text-slate-400">{formatAlertValue(e.value, a.unit)}</span>
                    {e.note ? <span className={TONE_TEXT.secondary}>{e.note}</span> : null}
                  </li>
                ))}
              </ol>
            </div>
          </div>
        ) : null}
      </Panel>
      <PanelNotifications id={id} />
    </div>
  );
}

function PanelNotifications({ id }: { id: string }) {
  const q = useNotifications(id);
  const { state, now } = usePanelState(q, { everyMs: 5000 });
  const list = q.data?.notifications ?? [];
  return (
    <Panel testId="panel-notifications" title="Notifications" state={state} error={q.error}>
      {list.length === 0 ? (
        <p className={cx("text-sm", TONE_TEXT.secondary)}>No notification was queued (no matching channel, or silenced).</p>
      ) : (
        <ul className="space-y-2 text-sm">
          {list.map((n) => (
            <li key={n.id} data-testid={`notification-${n.id}`}>
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono">{n.channelId}</span>
                <Badge tone={n.status === "delivered" ? "good" : n.status === "pending" ? "warn" : "bad"}>{n.status}</Badge>
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  {n.attempts} attempt{n.attempts === 1 ? "" : "s"}
                  {n.deliveredAt ? ` · delivered ${formatAgo(n.deliveredAt, now)}` : ""}
                  {n.nextAttemptAt && n.status === "pending" ? ` · next try ${formatAgo(n.nextAttemptAt, now)}` : ""}
                </span>
                {n.lastError ? <span className={cx("text-xs", TONE_TEXT.bad)}>{n.lastError}</span> : null}
              </div>
              {n.attemptLog.length ? (
                <ol className="ml-4 text-xs text-slate-500 dark:text-slate-400">
                  {n.attemptLog.map((t, i) => (
                    <li key={i}>
                      {formatDateTime(t.at)} · {t.statusCode ?? "no response"} {t.error ? `· ${t.error}` : ""} {t.durationMs !== null ? `· ${Math.round(t.durationMs)} ms` : ""}
                    </li>
                  ))}
                </ol>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
