"use client";

import { PageHeader } from "@/components/layout/page-header";
import { PanelAutovacuumWorkers } from "@/components/panels/panel-autovacuum-workers";
import { PanelCheckpoints } from "@/components/panels/panel-checkpoints";
import { PanelSequences } from "@/components/panels/panel-sequences";
import { PanelTableNeeds } from "@/components/panels/panel-table-needs";
import { PanelVacuums } from "@/components/panels/panel-vacuums";
import { TextInput } from "@/components/ui/select";
import { useUrlState } from "@/components/ui/use-url-state";
import { parseMaintenanceParams, serializeMaintenanceParams, type MaintenanceParams } from "@/lib/api/search-params";
import { useMaintenance } from "@/components/panels/queries";
import { useAnsweredOnce } from "@/components/panels/use-answered-once";

export function MaintenanceClient({ targetId, initial }: { targetId: string; initial: MaintenanceParams }) {
  const [p, set] = useUrlState(initial, parseMaintenanceParams, serializeMaintenanceParams);
  // Every panel draws a part of one answer, each as long as its part: those after the first show
  // once it is in, in their final place, rather than being pushed as the ones above take shape.
  const settled = useAnsweredOnce([useMaintenance(targetId, p.window)]);
  return (
    <div className="space-y-4">
      <PageHeader
        title={`Maintenance · ${targetId}`}
        subtitle="Vacuum, statistics, sequences and checkpoints"
        actions={<TextInput placeholder="filter tables and sequences" aria-label="Filter tables and sequences" defaultValue={p.q ?? ""} onChange={(e) => set({ q: e.target.value.trim() || null })} className="w-64 max-w-full" />}
      />
      {/* minmax(0, 1fr): a wide table scrolls inside its panel instead of widening the page. */}
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <PanelVacuums targetId={targetId} window={p.window} />
        <div hidden={!settled}>
          <PanelAutovacuumWorkers targetId={targetId} window={p.window} />
        </div>
      </div>
      <div className="space-y-4" hidden={!settled}>
        <PanelTableNeeds targetId={targetId} window={p.window} q={p.q} />
        <PanelSequences targetId={targetId} window={p.window} q={p.q} />
        <PanelCheckpoints targetId={targetId} window={p.window} onWindow={(window) => set({ window })} />
      </div>
    </div>
  );
}
