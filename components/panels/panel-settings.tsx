"use client";

import { useMutation } from "@tanstack/react-query";
import { Badge, BadgeSeverity } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CsvButton } from "@/components/ui/csv-button";
import { cx } from "@/components/ui/cx";
import { TONE_TEXT } from "@/components/ui/palette";
import { fetchJson } from "@/lib/api/fetch-json";
import { can } from "@/lib/auth/actions";
import type { testNotificationResponseSchema, ChannelView } from "@/lib/api/settings";
import { formatBytes } from "@/lib/format/bytes";
import { formatSeconds } from "@/lib/format/duration";
import { Panel } from "./panel";
import { useMe, useSettings } from "./queries";
import { usePanelState } from "./use-panel-state";
import { formatAlertValue } from "@/lib/api/alert-view";
import { testNotificationUrl } from "@/lib/api/urls";

// Read-only: rules and channels come from the config file. Channel URLs never reach the page.

export function PanelRules() {
  const q = useSettings();
  const { state } = usePanelState(q, { everyMs: 60_000 });
  const d = q.data;
  return (
    <Panel
      testId="panel-rules"
      title="Alert rules"
      subtitle="from the config file (read-only)"
      state={state}
      error={q.error}
      actions={
        <CsvButton
          rows={d?.rules ?? []}
          name="alert-rules"
          columns={[
            { header: "rule", value: (r) => r.id },
            { header: "enabled", value: (r) => r.enabled },
            { header: "threshold", value: (r) => r.threshold },
            { header: "critical_threshold", value: (r) => r.criticalThreshold },
            { header: "unit", value: (r) => r.unit },
            { header: "for_seconds", value: (r) => r.forSeconds },
            { header: "keep_firing_for_seconds", value: (r) => r.keepFiringForSeconds },
            { header: "severity", value: (r) => r.severity },
            { header: "overrides", value: (r) => r.overrides.map((o) => JSON.stringify(o)).join(" ") },
            { header: "hint", value: (r) => r.hint },
          ]}
        />
      }
    >
      {d ? (
        <>
          <p className="mb-2 text-sm">
            Thresholds: slow query over {d.thresholds.queryTimeMs} ms · table size over {formatBytes(d.thresholds.tableSizeBytes)}
            {d.tableSizeIsDemo ? <Badge tone="info" className="ml-1">lowered for the demo</Badge> : null} · index bloat over {d.thresholds.indexBloatPercent} % · cache hit ratio under{" "}
            {d.thresholds.cacheHitRatioPercent} %
          </p>
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
                <tr>
                  <th className="px-2 py-1">rule</th>
                  <th className="px-2 py-1">threshold</th>
                  <th className="px-2 py-1">for</th>
                  <th className="px-2 py-1">keep firing for</th>
                  <th className="px-2 py-1">severity</th>
                  <th className="px-2 py-1">channels</th>
                  <th className="px-2 py-1">per-target overrides</th>
                </tr>
              </thead>
              <tbody>
                {d.rules.map((r) => (
                  <tr key={r.id} data-testid={`rule-${r.id}`} className="border-t border-slate-100 align-top dark:border-slate-800">
                    <td className="px-2 py-1">
                      <span className="font-mono">{r.id}</span> {!r.enabled ? <Badge tone="muted">disabled</Badge> : null}
                      {r.description ? <div className="text-xs text-slate-500 dark:text-slate-400">{r.description}</div> : null}
                      <div data-testid={`rule-hint-${r.id}`} className={cx("mt-0.5 text-xs", TONE_TEXT.secondary)}>
                        <span className="font-medium">What to do:</span> {r.hint}
                      </div>
                    </td>
                    <td className="px-2 py-1 tabular">
                      {formatAlertValue(r.threshold, r.unit)}
                      {r.criticalThreshold !== null ? (
                        <div data-testid={`rule-critical-${r.id}`} className="text-xs text-slate-500 dark:text-slate-400">
                          critical past {formatAlertValue(r.criticalThreshold, r.unit)}
                        </div>
                      ) : null}
                    </td>
                    <td className="px-2 py-1 tabular">{formatSeconds(r.forSeconds)}</td>
                    <td className="px-2 py-1 tabular">{formatSeconds(r.keepFiringForSeconds)}</td>
                    <td className="px-2 py-1">
                      <BadgeSeverity severity={r.severity} />
                    </td>
                    <td className="px-2 py-1 text-xs">{r.channels ? r.channels.join(", ") : "by severity"}</td>
                    <td className="px-2 py-1 text-xs">
                      {r.overrides.length === 0
                        ? "—"
                        : r.overrides.map((o) => (
                            <div key={o.target}>
                              <span className="font-mono">{o.target}</span>:{" "}
                              {[
                                o.enabled === false ? "disabled" : null,
                                o.threshold !== undefined ? `threshold ${formatAlertValue(o.threshold, r.unit)}` : null,
                                o.criticalThreshold === null ? "no critical line" : o.criticalThreshold !== undefined ? `critical past ${formatAlertValue(o.criticalThreshold, r.unit)}` : null,
                                o.forSeconds !== undefined ? `for ${formatSeconds(o.forSeconds)}` : null,
                                o.keepFiringForSeconds !== undefined ? `keep ${formatSeconds(o.keepFiringForSeconds)}` : null,
                                o.windowSeconds !== undefined ? `window ${formatSeconds(o.windowSeconds)}` : null,
                                o.severity ? o.severity : null,
                              ]
                                .filter(Boolean)
                                .join(", ")}
                            </div>
                          ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </Panel>
  );
}

export function PanelChannels() {
  const q = useSettings();
  const me = useMe();
  const { state } = usePanelState(q, { everyMs: 60_000 });
  const channels = q.data?.channels ?? [];
  return (
    <Panel testId="panel-channels" title="Notification channels" state={state} error={q.error}>
      {channels.length === 0 ? (
        <p className={cx("text-sm", TONE_TEXT.secondary)}>
          No channel configured: alerts show here but notify nobody. Add a webhook or Slack channel under <code>channels</code> in pgpulse.config.json.
        </p>
      ) : (
        <ul className="space-y-2 text-sm">
          {channels.map((c) => (
            <Channel key={c.id} channel={c} admin={can(me.data?.role, "test_notification")} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

function Channel({ channel: c, admin }: { channel: ChannelView; admin: boolean }) {
  const m = useMutation({ mutationFn: () => fetchJson<typeof testNotificationResponseSchema>(testNotificationUrl(c.id), { method: "POST" }) });
  return (
    <li data-testid={`channel-${c.id}`} className="flex flex-wrap items-center gap-2">
      <span className="font-mono">{c.id}</span>
      <Badge>{c.type}</Badge>
      <span className="text-xs text-slate-500 dark:text-slate-400">
        {c.minSeverity} and above · {c.targets ? `targets ${c.targets.join(", ")}` : "all targets"}
      </span>
      {admin ? (
        <Button size="sm" onClick={() => m.mutate()} disabled={m.isPending} data-testid={`test-notification-${c.id}`}>
          {m.isPending ? "Sending…" : "Send test notification"}
        </Button>
      ) : null}
      {m.data ? (
        <span role="status" className={cx("text-xs", m.data.ok ? TONE_TEXT.good : TONE_TEXT.bad)}>
          {m.data.ok ? `delivered (HTTP ${m.data.statusCode ?? "?"})` : `failed: ${m.data.error ?? `HTTP ${m.data.statusCode ?? "?"}`}`}
        </span>
      ) : null}
      {m.error ? (
        <span role="alert" className={cx("text-xs", TONE_TEXT.bad)}>
          {m.error.message}
        </span>
      ) : null}
    </li>
  );
}
