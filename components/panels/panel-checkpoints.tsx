"use client";

import type { ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { TONE_NOTE, TONE_TEXT } from "@/components/ui/palette";
import { RangePicker } from "@/components/ui/range-picker";
import { Value } from "@/components/ui/value";
import { formatDuration } from "@/lib/format/duration";
import { formatPercent } from "@/lib/format/number";
import { RANGE_MS } from "@/lib/limits";
import { useMaintenancePartState } from "./maintenance-state";
import { Panel } from "./panel";
import { useMaintenance } from "./queries";
import { CHECKPOINT_WINDOWS, type CheckpointWindow } from "@/lib/api/urls";

// Checkpoints over the chosen window: how many came from checkpoint_timeout (timed) and how many
// were requested (max_wal_size reached, CHECKPOINT, a base backup), the time spent writing and
// syncing, and who wrote buffers out. Mostly requested checkpoints mean max_wal_size is small
// for the write load; many buffers written by backends mean shared_buffers or the bgwriter lag.

function Stat({ label, testId, children, hint }: { label: string; testId: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="min-w-0 rounded border border-slate-200 p-2 dark:border-slate-800" data-testid={testId}>
      <div className={cx("text-xs", TONE_TEXT.muted)}>{label}</div>
      <div className="text-lg font-semibold">{children}</div>
      {hint ? <div className={cx("text-xs", TONE_TEXT.muted)}>{hint}</div> : null}
    </div>
  );
}

export function PanelCheckpoints({ targetId, window, onWindow }: { targetId: string; window: CheckpointWindow; onWindow: (w: CheckpointWindow) => void }) {
  const res = useMaintenance(targetId, window);
  const c = res.data?.checkpoints;
  const { state } = useMaintenancePartState(res, c);
  const mostlyRequested = c?.requestedPercent != null && c.requestedPercent > 50;
  const partial = c !== undefined && c.coveredMs < 0.9 * RANGE_MS[c.window];
  return (
    <Panel
      testId="panel-checkpoints"
      title="Checkpoints"
      subtitle={`Increases over the last ${window}; a reset is left out, never counted as 0`}
      actions={<RangePicker options={CHECKPOINT_WINDOWS} value={window} onChange={onWindow} label="Checkpoint window" />}
      state={state}
      error={res.error}
      takenAt={c?.takenAt}
      unavailable={c?.unavailable}
    >
      {c ? (
        <>
          {partial || c.resets > 0 ? (
            <p className={cx("mb-2 rounded px-2 py-1 text-xs", TONE_NOTE.info)} data-testid="checkpoints-coverage">
              {c.coveredMs > 0 ? `The figures cover ${formatDuration(c.coveredMs)} of the ${c.window}` : "Not enough samples in this window yet"}
              {c.resets > 0 ? ` · ${c.resets} interval${c.resets === 1 ? "" : "s"} across a statistics reset left out` : ""}.
            </p>
          ) : null}
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            <Stat label="timed" testId="checkpoints-timed" hint="checkpoint_timeout">
              <Value value={c.timed} kind="count" />
            </Stat>
            <Stat
              label="requested"
              testId="checkpoints-requested"
              hint={c.requestedPercent === null ? `share shown from ${c.minCheckpoints} checkpoints` : <span className={mostlyRequested ? cx("font-semibold", TONE_TEXT.warn) : undefined}>{formatPercent(c.requestedPercent, 0)} of all</span>}
            >
              <Value value={c.requested} kind="count" />
            </Stat>
            <Stat label="write time" testId="checkpoints-write">
              <Value value={c.writeTimeMs} kind="ms" />
            </Stat>
            <Stat label="sync time" testId="checkpoints-sync">
              <Value value={c.syncTimeMs} kind="ms" />
            </Stat>
            <Stat label="buffers by checkpoints" testId="checkpoints-buffers">
              <Value value={c.buffersCheckpoint} kind="count" />
            </Stat>
            <Stat label="buffers by bgwriter" testId="checkpoints-clean">
              <Value value={c.buffersClean} kind="count" />
            </Stat>
            <Stat label="buffers by backends" testId="checkpoints-backend" hint={c.buffersBackendNote ?? undefined}>
              <Value value={c.buffersBackend} kind="count" />
            </Stat>
          </div>
          {mostlyRequested ? (
            <p className={cx("mt-2 rounded px-2 py-1 text-xs", TONE_NOTE.warn)}>Most checkpoints were requested, not timed: raise max_wal_size so they come from checkpoint_timeout.</p>
          ) : null}
        </>
      ) : null}
    </Panel>
  );
}
