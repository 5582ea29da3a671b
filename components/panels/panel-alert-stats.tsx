"use client";

import { CsvButton } from "@/components/ui/csv-button";
import { cx } from "@/components/ui/cx";
import { TONE_TEXT } from "@/components/ui/palette";
import { Value } from "@/components/ui/value";
import type { TimeRange } from "@/lib/api/search-params";
import { Panel } from "./panel";
import { useAlertStats } from "./queries";
import { usePanelState } from "./use-panel-state";

/** Mean time to acknowledge and to resolve, per rule, over the range. */
export function PanelAlertStats({ range }: { range: TimeRange }) {
  const q = useAlertStats(range);
  const { state } = usePanelState(q, { everyMs: 10_000 });
  const rules = q.data?.rules ?? [];
  return (
    <Panel
      testId="panel-alert-stats"
      title="MTTA and MTTR per rule"
      state={state}
      error={q.error}
      actions={
        <CsvButton
          rows={rules}
          name="alert-mtta-mttr"
          columns={[
            { header: "rule", value: (r) => r.rule },
            { header: "fired", value: (r) => r.fired },
            { header: "acknowledged", value: (r) => r.acknowledged },
            { header: "resolved", value: (r) => r.resolved },
            { header: "mtta_seconds", value: (r) => r.mttaSeconds },
            { header: "mttr_seconds", value: (r) => r.mttrSeconds },
          ]}
        />
      }
    >
      {rules.length === 0 ? (
        <p className={cx("text-sm", TONE_TEXT.secondary)}>No alert fired in this range.</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
            <tr>
              <th className="py-1">rule</th>
              <th className="py-1 text-right">fired</th>
              <th className="py-1 text-right">acked</th>
              <th className="py-1 text-right">resolved</th>
              <th className="py-1 text-right">MTTA</th>
              <th className="py-1 text-right">MTTR</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.rule} className="border-t border-slate-100 dark:border-slate-800" data-testid={`alert-stats-${r.rule}`}>
                <td className="py-1">{r.rule}</td>
                <td className="py-1 text-right tabular">{r.fired}</td>
                <td className="py-1 text-right tabular">{r.acknowledged}</td>
                <td className="py-1 text-right tabular">{r.resolved}</td>
                <td className="py-1 text-right">
                  <Value value={r.mttaSeconds === null ? null : r.mttaSeconds * 1000} kind="ms" />
                </td>
                <td className="py-1 text-right">
                  <Value value={r.mttrSeconds === null ? null : r.mttrSeconds * 1000} kind="ms" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
