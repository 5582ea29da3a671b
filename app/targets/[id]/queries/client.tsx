"use client";

import { PageHeader } from "@/components/layout/page-header";
import { PanelRunningSlow, PanelSlowQueries } from "@/components/panels/panel-slow-queries";
import { RangePicker } from "@/components/ui/range-picker";
import { useUrlState } from "@/components/ui/use-url-state";
import { parseQueriesParams, serializeQueriesParams, type QueriesParams } from "@/lib/api/search-params";
import { HISTORY_RANGES } from "@/lib/limits";

export function QueriesClient({ targetId, initial }: { targetId: string; initial: QueriesParams }) {
  const [p, set] = useUrlState(initial, parseQueriesParams, serializeQueriesParams);
  return (
    <div className="space-y-4">
      <PageHeader
        title={`Queries · ${targetId}`}
        actions={<RangePicker options={HISTORY_RANGES} value={p.range.kind === "relative" ? p.range.key : null} onChange={(key) => set({ range: { kind: "relative", key } })} />}
      />
      <PanelRunningSlow targetId={targetId} range={p.range} />
      <PanelSlowQueries targetId={targetId} range={p.range} q={p.q} onFilter={(q) => set({ q })} />
    </div>
  );
}
