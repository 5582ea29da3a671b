"use client";

import { PageHeader } from "@/components/layout/page-header";
import { PanelIndexes } from "@/components/panels/panel-indexes";
import { PanelTableHistory } from "@/components/panels/panel-table-history";
import { PanelTables, tablesListQuery } from "@/components/panels/panel-tables";
import { useTables } from "@/components/panels/queries";
import { RangePicker } from "@/components/ui/range-picker";
import { Tabs } from "@/components/ui/tabs";
import { useUrlState } from "@/components/ui/use-url-state";
import { DEFAULT_LIST_SORT } from "@/lib/api/list-sorts";
import { parseTablesParams, serializeTablesParams, type TablesParams } from "@/lib/api/search-params";
import { HISTORY_RANGES } from "@/lib/limits";

export function TablesClient({ targetId, initial }: { targetId: string; initial: TablesParams }) {
  const [p, set] = useUrlState(initial, parseTablesParams, serializeTablesParams);
  // The same page the tables panel asks for (one request): the size threshold rides along.
  const tables = useTables(targetId, p.range, tablesListQuery(p), p.tab === "tables");
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
        onChange={(tab) => set({ tab, q: null, sort: DEFAULT_LIST_SORT.sort, dir: DEFAULT_LIST_SORT.dir, page: 1 })}
      />
      {p.tab === "tables" ? (
        <>
          <PanelTables targetId={targetId} range={p.range} params={p} selected={p.table} onChange={set} onSelect={(table) => set({ table })} />
          {p.table ? <PanelTableHistory targetId={targetId} table={p.table} range={p.range} thresholdBytes={tables.data?.thresholdBytes ?? null} /> : null}
        </>
      ) : (
        <PanelIndexes targetId={targetId} params={p} onChange={set} />
      )}
    </div>
  );
}
