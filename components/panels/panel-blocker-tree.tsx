"use client";

import Link from "next/link";
import { BadgeState } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { MARK, TONE_TEXT } from "@/components/ui/palette";
import { Value } from "@/components/ui/value";
import type { BlockerNode } from "@/lib/api/activity";
import { REFRESH_MS } from "@/lib/limits";
import { Panel } from "./panel";
import { useActivity } from "./queries";
import { usePanelState } from "./use-panel-state";

// Who blocks whom. The roots are what a DBA acts on: the session everyone waits for, what it
// runs and for how long. "No blocking" is a real, calm answer, drawn as such (not as empty).

/** The calm answer's one line of text: the box the panel keeps until its first answer. */
const CALM_HEIGHT = "1.25rem";

export function PanelBlockerTree({ targetId, paused }: { targetId: string; paused: boolean }) {
  const q = useActivity(targetId, paused);
  const { state } = usePanelState(q, {
    sampled: { takenAt: q.data?.takenAt ?? null, cadenceMs: q.data?.cadenceMs ?? 0, slackMs: REFRESH_MS.live },
  });
  const tree = q.data?.blockerTree ?? [];
  const blocked = tree.reduce((a, r) => a + r.blockedCount, 0);
  return (
    <Panel
      testId="panel-blocker-tree"
      title="Lock waits: root blockers"
      subtitle={tree.length ? `${tree.length} root${tree.length > 1 ? "s" : ""} · ${blocked} waiting session${blocked === 1 ? "" : "s"}` : undefined}
      state={state}
      error={q.error}
      takenAt={q.data?.takenAt}
      unavailable={q.data?.unavailable}
      reserveSubtitle
      bodyHeight={CALM_HEIGHT}
    >
      {tree.length === 0 ? (
        <p data-testid="blocker-tree-none" className={cx("text-sm", TONE_TEXT.good)}>
          No session is waiting on another one.
        </p>
      ) : (
        <ul role="tree" aria-label="Blocking sessions" className="space-y-2 text-sm">
          {tree.map((n) => (
            <Node key={`root-${n.pid}`} node={n} depth={0} targetId={targetId} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

function Node({ node, depth, targetId }: { node: BlockerNode; depth: number; targetId: string }) {
  const root = depth === 0;
  return (
    <li role="treeitem" aria-selected={false} aria-expanded={node.children.length ? true : undefined} aria-level={depth + 1} data-testid={node.repeated ? `blocker-node-${node.pid}-ref` : `blocker-node-${node.pid}`} data-root={root || undefined}>
      <div className={root ? cx("rounded border p-2", MARK.rootBlocker) : "border-l-2 border-slate-300 py-1 pl-2 dark:border-slate-600"}>
        <div className="flex flex-wrap items-center gap-2">
          <Link href={`/targets/${encodeURIComponent(targetId)}/live?pid=${node.pid}`} className="font-mono font-semibold hover:underline">
            {node.pid}
          </Link>
          {root ? <span className={cx("text-xs font-semibold uppercase", TONE_TEXT.bad)}>{node.inCycle ? "deadlock cycle" : "root blocker"}</span> : null}
          {!root && node.inCycle ? <span className={cx("text-xs", TONE_TEXT.bad)}>in cycle</span> : null}
          {node.known ? (
            <>
              <BadgeState state={node.state} />
              <span className={cx("text-xs", TONE_TEXT.secondary)}>
                {node.user ?? "?"} · {node.application || "no application_name"}
              </span>
            </>
          ) : (
            <span className="text-xs text-slate-500 dark:text-slate-400">not visible (another database, or hidden by privileges)</span>
          )}
          {node.waitingMs !== null ? (
            <span className="text-xs">
              waiting <Value value={node.waitingMs} kind="ms" className="font-semibold" />
            </span>
          ) : node.xactAgeMs !== null ? (
            <span className="text-xs">
              transaction open <Value value={node.xactAgeMs} kind="ms" className="font-semibold" />
            </span>
          ) : null}
          {node.blockedCount > 0 ? (
            <span className="text-xs">
              blocks {node.blockedCount}
              {node.branchWaitingMs !== null ? (
                <>
                  , longest wait <Value value={node.branchWaitingMs} kind="ms" className="font-semibold" />
                </>
              ) : null}
            </span>
          ) : null}
          {node.repeated ? <span className="text-xs text-slate-500 dark:text-slate-400">(shown above)</span> : null}
        </div>
        {node.query && !node.repeated ? <pre className="mt-1 max-h-24 overflow-auto font-mono text-xs whitespace-pre-wrap text-slate-700 dark:text-slate-300">{node.query}</pre> : null}
      </div>
      {node.children.length ? (
        <ul role="group" className="mt-1 ml-4 space-y-1">
          {node.children.map((c) => (
            <Node key={`${node.pid}-${c.pid}`} node={c} depth={depth + 1} targetId={targetId} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
