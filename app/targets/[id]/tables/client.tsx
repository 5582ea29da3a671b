"use client";

import { PageHeader } from "@/components/layout/page-header";
import { PanelIndexes } from "@/components/panels/panel-indexes";
import { PanelTableHistory } from "@/components/panels/panel-table-history";
import { PanelTables } from "@/components/panels/panel-tables";
import { useTables } from "@/components/panels/queries";
import { RangePicker } from "@/components/ui/range-picker";
import { Tabs } from "@/components/ui/tabs";
import { useUrlState } from "@/components/ui/use-url-state";
import { parseTablesParams, serializeTablesParams, type TablesParams } from "@/lib/api/search-params";
import { HISTORY_RANGES } from "@/lib/limits";

export function TablesClient({ targetId, initial }: { targetId: string; initial: TablesParams }) {
  const [p, set] = useUrlState(initial, parseTablesParams, serializeTablesParams);
  const tables = useTables(targetId, p.range);
  return (
    <div className="space-y-4">
      <PageHeader
        title={`Tables & indexes · ${targetId}`}
        actions={<RangePicker options={HISTORY_RANGES} value={p.range.kind === "relative" ? p.range.key : null} onChange={(key) => set({ range: { kind: "relative", key } })} />}
      />
      <Tabs
        label="Tables or indexes"
        tabs={[
          { id: "tables", label: "Tables" },
          { id: "indexes", label: "Indexes" },
        ]}
        value={p.tab}
        onChange={(tab) => set({ tab, q: null })}
      />
      {p.tab === "tables" ? (
        <>
          <PanelTables targetId={targetId} range={p.range} q={p.q} selected={p.table} onFilter={(q) => set({ q })} onSelect={(table) => set({ table })} />
          {p.table ? <PanelTableHistory targetId={targetId} table={p.table} range={p.range} thresholdBytes={tables.data?.thresholdBytes ?? null} /> : null}
        </>
      ) : (
        <PanelIndexes targetId={targetId} q={p.q} flag={p.flag} onChange={set} />
      )}
    </div>
  );
}
