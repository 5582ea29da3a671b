"use client";

import { ChartLine } from "@/components/charts/lazy";
import { hasValues, joinSeries } from "@/components/charts/join-series";
import { formatterForUnit } from "@/components/charts/unit-format";
import { resolveRange, type TimeRange } from "@/lib/api/search-params";
import { Panel } from "./panel";
import { drawnState, lastValueAt } from "./panel-state";
import { useChartsInView } from "@/components/charts/use-charts";
import { useTableHistory } from "./queries";
import { usePanelState } from "./use-panel-state";

/** One table's total size over the selected range, against the size threshold. */
export function PanelTableHistory({ targetId, table, range, thresholdBytes }: { targetId: string; table: string; range: TimeRange; thresholdBytes: number | null }) {
  const dot = table.indexOf(".");
  const schema = dot > 0 ? table.slice(0, dot) : "public";
  const name = dot > 0 ? table.slice(dot + 1) : table;
  const q = useTableHistory(targetId, schema, name, range);
  const data = joinSeries({ bytes: q.data?.points });
  const newest = q.data ? lastValueAt(q.data.points) : null;
  const [slot, charts] = useChartsInView<HTMLElement>();
  const panel = usePanelState(q, { everyMs: 10_000, hasData: hasValues(data, ["bytes"]), sampled: { takenAt: newest, cadenceMs: q.data?.cadenceMs ?? 0 } });
  const state = drawnState(panel.state, charts !== null);
  const w = resolveRange(range, panel.now);
  return (
    <Panel slot={slot} testId="panel-table-history" title={`Size history · ${schema}.${name}`} state={state} error={q.error} takenAt={newest} empty="No size snapshots in this range yet; they are taken every few minutes.">
      <ChartLine
        data={data}
        categories={["bytes"]}
        labels={{ bytes: "total size" }}
        valueFormatter={formatterForUnit("bytes")}
        references={thresholdBytes ? [{ y: thresholdBytes, label: "size threshold", kind: "limit" }] : []}
        xDomain={[w.from.getTime(), w.to.getTime()]}
        rangeMs={w.rangeMs}
        yDomain={[0, "auto"]}
      />
    </Panel>
  );
}
