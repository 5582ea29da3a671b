"use client";

import { PageHeader } from "@/components/layout/page-header";
import { PanelAlertStats } from "@/components/panels/panel-alert-stats";
import { PanelAlertsActive } from "@/components/panels/panel-alerts-active";
import { PanelAlertsHistory } from "@/components/panels/panel-alerts-history";
import { PanelSilences } from "@/components/panels/panel-silences";
import { useActiveAlerts, useAlertStats, useSilences } from "@/components/panels/queries";
import { useAnsweredOnce } from "@/components/panels/use-answered-once";
import { RangePicker } from "@/components/ui/range-picker";
import { useUrlState } from "@/components/ui/use-url-state";
import { parseAlertsParams, serializeAlertsParams, type AlertsParams } from "@/lib/api/search-params";
import { HISTORY_RANGES } from "@/lib/limits";

export function AlertsClient({ initial }: { initial: AlertsParams }) {
  const [p, set] = useUrlState(initial, parseAlertsParams, serializeAlertsParams);
  // How many alerts fire, silences hold and rules fired is known only from the answers, so no
  // placeholder can have their height. What lies below them is mounted at once (its queries
  // start) but shown once they have answered: it appears in its place instead of being pushed.
  const settled = useAnsweredOnce([useActiveAlerts(), useSilences(), useAlertStats(p.range)]);
  return (
    <div className="space-y-4">
      <PageHeader
        title="Alerts"
        actions={<RangePicker options={HISTORY_RANGES} value={p.range.kind === "relative" ? p.range.key : null} onChange={(key) => set({ range: { kind: "relative", key } })} label="History range" />}
      />
      <PanelAlertsActive />
      <div className="space-y-4" hidden={!settled}>
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          <PanelSilences />
          <PanelAlertStats range={p.range} />
        </div>
        <PanelAlertsHistory params={p} set={set} />
      </div>
    </div>
  );
}
