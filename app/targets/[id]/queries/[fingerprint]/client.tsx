"use client";

import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { PanelExplain } from "@/components/panels/panel-explain";
import { PanelQueryDetail } from "@/components/panels/panel-query-detail";
import { useSlowQueryDetail } from "@/components/panels/queries";
import { LINK } from "@/components/ui/palette";
import { RangePicker } from "@/components/ui/range-picker";
import { useUrlState } from "@/components/ui/use-url-state";
import { parseQueriesParams, serializeQueriesParams, type QueriesParams } from "@/lib/api/search-params";
import { HISTORY_RANGES } from "@/lib/limits";

export function QueryDetailClient({ targetId, fingerprint, initial }: { targetId: string; fingerprint: string; initial: QueriesParams }) {
  const [p, set] = useUrlState(initial, parseQueriesParams, serializeQueriesParams);
  const detail = useSlowQueryDetail(targetId, fingerprint, p.range);
  return (
    <div className="space-y-4">
      <PageHeader
        title={
          <>
            <Link href={`/targets/${encodeURIComponent(targetId)}/queries`} className={LINK}>
              Queries
            </Link>{" "}
            · <span className="font-mono text-base">{fingerprint}</span>
          </>
        }
        actions={<RangePicker options={HISTORY_RANGES} value={p.range.kind === "relative" ? p.range.key : null} onChange={(key) => set({ range: { kind: "relative", key } })} />}
      />
      {detail.data?.normalized ? <pre className="overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs whitespace-pre-wrap dark:bg-slate-800">{detail.data.normalized}</pre> : null}
      <PanelQueryDetail targetId={targetId} fingerprint={fingerprint} range={p.range} />
      <PanelExplain targetId={targetId} fingerprint={fingerprint} normalized={detail.data?.normalized ?? null} />
    </div>
  );
}
