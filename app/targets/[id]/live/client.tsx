"use client";

import { useState } from "react";
import { PageHeader } from "@/components/layout/page-header";
import { LiveStatus } from "@/components/panels/live-status";
import { PanelBlockerTree } from "@/components/panels/panel-blocker-tree";
import { PanelChart } from "@/components/panels/panel-chart";
import { PanelConnections } from "@/components/panels/panel-connections";
import { PanelSessions } from "@/components/panels/panel-sessions";
import { SessionActionResult } from "@/components/panels/session-actions";
import { useSettings } from "@/components/panels/queries";
import { RangePicker } from "@/components/ui/range-picker";
import { useUrlState } from "@/components/ui/use-url-state";
import { parseLiveParams, serializeLiveParams, type LiveParams } from "@/lib/api/search-params";
import { LIVE_WINDOWS, RANGE_MS } from "@/lib/limits";

export function LiveClient({ targetId, initial }: { targetId: string; initial: LiveParams }) {
  const [params, setParams] = useUrlState(initial, parseLiveParams, serializeLiveParams);
  const [paused, setPaused] = useState(false);
  const settings = useSettings();
  const rangeMs = RANGE_MS[params.window];
  const cacheThreshold = settings.data?.thresholds.cacheHitRatioPercent ?? 90;
  const slowSeconds = (settings.data?.thresholds.queryTimeMs ?? 1000) / 1000;
  const common = { targetId, rangeMs, paused };
  return (
    <div className="space-y-4">
      <PageHeader
        title={`Live · ${targetId}`}
        actions={
          <>
            <LiveStatus targetId={targetId} paused={paused} onPausedChange={setPaused} />
            <RangePicker options={LIVE_WINDOWS} value={params.window} onChange={(window) => setParams({ window })} label="Chart window" />
          </>
        }
      />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <PanelBlockerTree targetId={targetId} paused={paused} />
        <PanelConnections {...common} />
      </div>
      <PanelSessions targetId={targetId} params={params} setParams={setParams} paused={paused} />
      <SessionActionResult targetId={targetId} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2 2xl:grid-cols-3">
        <PanelChart
          {...common}
          testId="panel-tps"
          title="Transactions per second"
          metrics={[
            { metric: "commits_per_second", label: "commits" },
            { metric: "rollbacks_per_second", label: "rollbacks" },
          ]}
        />
        <PanelChart
          {...common}
          testId="panel-cache-hit"
          title="Cache hit ratio"
          subtitle="per interval, from block deltas; no point when too few blocks were read"
          metrics={[{ metric: "cache_hit_ratio", label: "cache hit" }]}
          references={[{ y: cacheThreshold, label: `${cacheThreshold} %`, kind: "limit" }]}
          // Zoomed near the top where the ratio lives, always showing the threshold line.
          yDomain={[(min: number) => Math.max(0, Math.floor(Math.min(min, cacheThreshold) - 2)), 100]}
        />
        <PanelChart
          {...common}
          testId="panel-rows"
          title="Rows written per second"
          metrics={[
            { metric: "rows_inserted_per_second", label: "inserted" },
            { metric: "rows_updated_per_second", label: "updated" },
            { metric: "rows_deleted_per_second", label: "deleted" },
          ]}
        />
        <PanelChart
          {...common}
          testId="panel-longest-query"
          title="Longest running query"
          metrics={[{ metric: "longest_query_seconds", label: "longest query" }]}
          references={[{ y: slowSeconds, label: `slow: ${slowSeconds} s`, kind: "limit" }]}
        />
        <PanelChart
          {...common}
          testId="panel-lock-waits"
          title="Sessions waiting on locks"
          metrics={[{ metric: "connections_waiting_lock", label: "waiting on a lock" }]}
        />
      </div>
    </div>
  );
}
