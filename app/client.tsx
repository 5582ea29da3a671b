"use client";

import { useMemo } from "react";
import { PageHeader } from "@/components/layout/page-header";
import { PanelOverviewConnections } from "@/components/panels/panel-overview-connections";
import { PanelOverviewTargets } from "@/components/panels/panel-overview-targets";
import { useHealth, useOverview } from "@/components/panels/queries";
import { useAnsweredOnce } from "@/components/panels/use-answered-once";
import { RangePicker } from "@/components/ui/range-picker";
import { useUrlState } from "@/components/ui/use-url-state";
import { fleetView, type FleetFilter } from "@/lib/api/fleet";
import { parseOverviewParams, serializeOverviewParams, type OverviewParams } from "@/lib/api/search-params";
import { LIVE_WINDOWS, RANGE_MS } from "@/lib/limits";

// The connections chart draws the first targets of the list as filtered: a chart of 200 lines
// reads as nothing, and each line is a request.
const CHART_TARGETS = 8;

export function OverviewClient({ initial }: { initial: OverviewParams }) {
  const [params, setParams] = useUrlState(initial, parseOverviewParams, serializeOverviewParams);
  const health = useHealth();
  const overview = useOverview();
  const rangeMs = RANGE_MS[params.window];
  const filter: FleetFilter = useMemo(() => ({ q: params.q, tags: params.tag, status: params.status }), [params.q, params.tag, params.status]);
  const settled = useAnsweredOnce([overview]);
  const rows = overview.data?.targets;
  const charted = useMemo(() => fleetView(rows ?? [], filter).slice(0, CHART_TARGETS), [rows, filter]);
  return (
    <div className="space-y-4">
      <PageHeader
        title="Overview"
        reserveSubtitle
        subtitle={
          health.data
            ? `pgpulse ${health.data.version} · store ${health.data.store.reachable ? "reachable" : `unreachable${health.data.store.detail ? `: ${health.data.store.detail}` : ""}`}`
            : undefined
        }
        actions={<RangePicker options={LIVE_WINDOWS} value={params.window} onChange={(window) => setParams({ window })} label="Chart window" />}
      />
      <PanelOverviewTargets
        rows={rows}
        pending={overview.isPending}
        error={overview.error ?? null}
        filter={filter}
        onFilter={(p) => setParams({ ...(p.q !== undefined ? { q: p.q } : {}), ...(p.tags ? { tag: [...p.tags] } : {}), ...(p.status ? { status: [...p.status] } : {}) })}
      />
      {/* Below a list as long as the fleet: shown once the list is drawn, not pushed down by it. */}
      <div hidden={!settled}>
        <PanelOverviewConnections
          targets={charted}
          total={rows?.length ?? 0}
          targetsPending={overview.isPending}
          targetsError={overview.error ?? null}
          rangeMs={rangeMs}
        />
      </div>
    </div>
  );
}
