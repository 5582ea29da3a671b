"use client";

import { ChartLine } from "@/components/charts/lazy";
import { hasValues, joinSeries } from "@/components/charts/join-series";
import { formatterForUnit } from "@/components/charts/unit-format";
import { Badge } from "@/components/ui/badge";
import { Time, Value } from "@/components/ui/value";
import { resolveRange, type TimeRange } from "@/lib/api/search-params";
import { formatDuration } from "@/lib/format/duration";
import { formatAgo } from "@/lib/format/time";
import { Panel } from "./panel";
import { useSlowQueryDetail } from "./queries";
import { CALLS_LABEL, CALLS_TITLE, SEEN_LABEL, SEEN_TITLE } from "./slow-counts";
import { usePanelState } from "./use-panel-state";

/** One fingerprint: its figures, mean time and occurrences over the range, example texts. */
export function PanelQueryDetail({ targetId, fingerprint, range }: { targetId: string; fingerprint: string; range: TimeRange }) {
  const q = useSlowQueryDetail(targetId, fingerprint, range);
  const d = q.data;
  const g = d?.group ?? null;
  const { state, now } = usePanelState(q, { everyMs: 5000, hasData: g !== null });
  const w = resolveRange(range, now);
  const meanRows = joinSeries({ mean: d?.meanMs });
  const countRows = joinSeries({ count: g?.occurrences });
  return (
    <Panel testId="panel-query-detail" title="Statement" state={state} error={q.error} empty="This fingerprint was not seen in the selected range; try a longer one.">
      {g ? (
        <div className="space-y-4">
          <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-3 lg:grid-cols-9">
            <Stat label={SEEN_LABEL} title={SEEN_TITLE}>
              <Value value={g.count} kind="count" />
            </Stat>
            <Stat label={CALLS_LABEL} title={CALLS_TITLE}>
              <Value value={g.calls} kind="count" />
            </Stat>
            <Stat label="mean">
              <Value value={g.meanMs} kind="ms" />
            </Stat>
            <Stat label="p95">
              <Value value={g.p95Ms} kind="ms" />
            </Stat>
            <Stat label="max">
              <Value value={g.maxMs} kind="ms" />
            </Stat>
            <Stat label="total">
              <Value value={g.totalMs} kind="ms" />
            </Stat>
            <Stat label="time share">
              <Value value={g.totalShare === null ? null : g.totalShare * 100} kind="percent" />
            </Stat>
            <Stat label="first seen">
              <Time iso={g.firstSeen}>{formatAgo(g.firstSeen, now)}</Time>
            </Stat>
            <Stat label="last seen">
              <Time iso={g.lastSeen}>{formatAgo(g.lastSeen, now)}</Time>
            </Stat>
          </dl>
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <div data-state={hasValues(meanRows, ["mean"]) ? "ready" : "empty"} data-testid="query-mean-chart">
              <h3 className="mb-1 text-xs font-semibold text-slate-500 dark:text-slate-400">mean time</h3>
              <ChartLine data={meanRows} categories={["mean"]} valueFormatter={(v) => formatDuration(v)} xDomain={[w.from.getTime(), w.to.getTime()]} rangeMs={w.rangeMs} height={160} />
            </div>
            <div data-state={hasValues(countRows, ["count"]) ? "ready" : "empty"}>
              <h3 className="mb-1 text-xs font-semibold text-slate-500 dark:text-slate-400">occurrences</h3>
              <ChartLine data={countRows} categories={["count"]} valueFormatter={formatterForUnit("count")} xDomain={[w.from.getTime(), w.to.getTime()]} rangeMs={w.rangeMs} height={160} />
            </div>
          </div>
          <div>
            <h3 className="mb-1 text-xs font-semibold text-slate-500 dark:text-slate-400">examples</h3>
            <ul className="space-y-2" data-testid="query-examples">
              {d!.examples.length === 0 ? <li className="text-sm text-slate-500 dark:text-slate-400">No example text was captured.</li> : null}
              {d!.examples.map((e, i) => (
                <li key={i} className="rounded border border-slate-200 p-2 dark:border-slate-700">
                  <div className="mb-1 flex gap-2 text-xs text-slate-500 dark:text-slate-400">
                    <Badge tone="muted">{e.source}</Badge>
                    <Value value={e.durationMs} kind="ms" />
                    <Time iso={e.capturedAt}>{formatAgo(e.capturedAt, now)}</Time>
                  </div>
                  <pre className="max-h-48 overflow-auto font-mono text-xs whitespace-pre-wrap">{e.query}</pre>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
    </Panel>
  );
}

function Stat({ label, title, children }: { label: string; title?: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500 dark:text-slate-400" title={title}>
        {label}
      </dt>
      <dd className="font-semibold">{children}</dd>
    </div>
  );
}
