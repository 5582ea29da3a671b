"use client";

import { PageHeader } from "@/components/layout/page-header";
import { PanelOverviewConnections } from "@/components/panels/panel-overview-connections";
import { PanelOverviewTargets } from "@/components/panels/panel-overview-targets";
import { useHealth, useOverview, useTargets } from "@/components/panels/queries";
import { RangePicker } from "@/components/ui/range-picker";
import { useUrlState } from "@/components/ui/use-url-state";
import { parseOverviewParams, serializeOverviewParams, type OverviewParams } from "@/lib/api/search-params";
import { LIVE_WINDOWS, RANGE_MS } from "@/lib/limits";

export function OverviewClient({ initial }: { initial: OverviewParams }) {
  const [params, setParams] = useUrlState(initial, parseOverviewParams, serializeOverviewParams);
  const targets = useTargets();
  const health = useHealth();
  const overview = useOverview();
  const rangeMs = RANGE_MS[params.window];
  const list = targets.data?.targets ?? [];
  return (
    <div className="space-y-4">
      <PageHeader
        title="Overview"
        subtitle={
          health.data
            ? `pgpulse ${health.data.version} · store ${health.data.store.reachable ? "reachable" : `unreachable${health.data.store.detail ? `: ${health.data.store.detail}` : ""}`}`
            : undefined
        }
        actions={<RangePicker options={LIVE_WINDOWS} value={params.window} onChange={(window) => setParams({ window })} label="Chart window" />}
      />
      <PanelOverviewTargets
        targets={list}
        health={health.data?.targets ?? []}
        overview={overview.data?.targets ?? null}
        pending={targets.isPending || health.isPending}
        error={targets.error ?? health.error ?? null}
        rangeMs={rangeMs}
      />
      <PanelOverviewConnections targets={list} targetsPending={targets.isPending} targetsError={targets.error} rangeMs={rangeMs} />
    </div>
  );
}
