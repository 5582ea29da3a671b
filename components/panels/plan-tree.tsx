"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { MARK, TONE_TEXT } from "@/components/ui/palette";
import { Value } from "@/components/ui/value";
import type { ParsedPlan, PlanNode } from "@/lib/analysis/explain-plan";
import { formatCompact } from "@/lib/format/number";

/** An EXPLAIN plan as a tree: costs, estimated vs actual rows, time; the slowest node marked. */
export function PlanTree({ plan, raw }: { plan: ParsedPlan; raw: unknown }) {
  const [showRaw, setShowRaw] = useState(false);
  return (
    <div data-testid="plan-view" data-analyzed={plan.analyzed}>
      <div className={cx("mb-2 flex flex-wrap items-center gap-3 text-xs", TONE_TEXT.secondary)}>
        {plan.planningMs !== null ? (
          <span>
            planning <Value value={plan.planningMs} kind="ms" />
          </span>
        ) : null}
        {plan.executionMs !== null ? (
          <span>
            execution <Value value={plan.executionMs} kind="ms" className="font-semibold" />
          </span>
        ) : (
          <span>plan only: costs are the planner&apos;s estimates, nothing was executed</span>
        )}
        <Button size="sm" onClick={() => setShowRaw((v) => !v)} aria-pressed={showRaw} data-testid="plan-raw-toggle">
          {showRaw ? "Show tree" : "Raw JSON"}
        </Button>
      </div>
      {showRaw ? (
        <pre data-testid="plan-raw" className="max-h-[32rem] overflow-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">
          {JSON.stringify(raw, null, 2)}
        </pre>
      ) : (
        <ul role="tree" aria-label="Query plan" className="font-mono text-xs">
          <Node node={plan.root} plan={plan} depth={0} />
        </ul>
      )}
    </div>
  );
}

function Node({ node, plan, depth }: { node: PlanNode; plan: ParsedPlan; depth: number }) {
  const slowest = node.id === plan.slowestId;
  const misestimate = node.actualRows !== null && node.planRows !== null && node.planRows > 0 && (node.actualRows / node.planRows > 10 || node.planRows / Math.max(1, node.actualRows) > 10);
  const extras = Object.entries(node.extra).filter(([, v]) => typeof v === "string" || typeof v === "number");
  return (
    <li role="treeitem" aria-selected={false} aria-level={depth + 1} aria-expanded={node.children.length ? true : undefined} data-testid={`plan-node-${node.id}`} data-slowest={slowest || undefined}>
      <div className={cx("my-0.5 rounded border px-2 py-1", slowest ? MARK.hottest : "border-slate-200 dark:border-slate-700")}>
        <div className="flex flex-wrap items-baseline gap-x-3">
          <span className="font-semibold">{node.nodeType}</span>
          {node.detail ? <span>{node.detail}</span> : null}
          {slowest ? <span className={cx("font-sans text-xs font-semibold", TONE_TEXT.bad)}>{plan.analyzed ? "most time spent here" : "highest cost"}</span> : null}
        </div>
        <div className={cx("flex flex-wrap gap-x-3", TONE_TEXT.secondary)}>
          <span title="startup..total cost">
            cost {formatCompact(node.startupCost)}..{formatCompact(node.totalCost)}
          </span>
          <span>rows est. {formatCompact(node.planRows)}</span>
          {node.actualRows !== null ? <span className={misestimate ? cx("font-semibold", TONE_TEXT.warn) : undefined}>actual {formatCompact(node.actualRows)}{node.loops && node.loops > 1 ? ` × ${node.loops} loops` : ""}</span> : null}
          {node.actualTotalMs !== null ? (
            <span>
              time <Value value={node.actualTotalMs} kind="ms" /> (self <Value value={node.exclusiveMs} kind="ms" />)
            </span>
          ) : null}
        </div>
        {extras.length ? (
          <div className="text-slate-500 dark:text-slate-400">
            {extras.slice(0, 6).map(([k, v]) => (
              <div key={k} className="truncate" title={`${k}: ${v}`}>
                {k}: {String(v)}
              </div>
            ))}
          </div>
        ) : null}
      </div>
      {node.children.length ? (
        <ul role="group" className="ml-5 border-l border-slate-300 pl-2 dark:border-slate-600">
          {node.children.map((c) => (
            <Node key={c.id} node={c} plan={plan} depth={depth + 1} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
