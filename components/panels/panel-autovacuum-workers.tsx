"use client";

import { cx } from "@/components/ui/cx";
import { TONE_NOTE } from "@/components/ui/palette";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useMaintenancePartState } from "./maintenance-state";
import { Panel } from "./panel";
import { useMaintenance } from "./queries";
import { type CheckpointWindow } from "@/lib/api/urls";

// Autovacuum workers busy against autovacuum_max_workers. All of them busy for long means tables
// wait their turn: dead tuples pile up even where the thresholds say a vacuum is due.

export function PanelAutovacuumWorkers({ targetId, window }: { targetId: string; window: CheckpointWindow }) {
  const res = useMaintenance(targetId, window);
  const part = res.data?.autovacuum;
  const { state } = useMaintenancePartState(res, part);
  const { workers = null, maxWorkers = null, autovacuumOn = null } = part ?? {};
  const percent = workers !== null && maxWorkers ? (workers / maxWorkers) * 100 : null;
  return (
    <Panel testId="panel-autovacuum" title="Autovacuum workers" subtitle="in use / autovacuum_max_workers" state={state} error={res.error} takenAt={part?.takenAt} unavailable={part?.unavailable}>
      <p className="text-2xl font-semibold tabular" data-testid="autovacuum-workers">
        {workers ?? "—"} <span className="text-base font-normal text-slate-500 dark:text-slate-400">of {maxWorkers ?? "—"}</span>
      </p>
      <ProgressBar className="mt-2" percent={percent} label="Autovacuum workers in use" tone={percent !== null && percent >= 100 ? "warn" : "info"} />
      {autovacuumOn === false ? (
        <p className={cx("mt-2 rounded px-2 py-1 text-xs", TONE_NOTE.warn)}>autovacuum is off: dead tuples are only removed by manual VACUUM, and wraparound vacuums still start.</p>
      ) : percent !== null && percent >= 100 ? (
        <p className={cx("mt-2 rounded px-2 py-1 text-xs", TONE_NOTE.warn)}>Every worker is busy: other tables wait for a free one.</p>
      ) : null}
    </Panel>
  );
}
