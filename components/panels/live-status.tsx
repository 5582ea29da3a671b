"use client";

import { Button } from "@/components/ui/button";
import { useNow } from "@/components/ui/use-now";
import { formatAgo } from "@/lib/format/time";
import { CADENCE_MS, REFRESH_MS } from "@/lib/limits";
import { isStale } from "./panel-state";
import { useActivity } from "./queries";

/** "last updated N s ago" that turns to stale when the collector falls behind, and pause. */
export function LiveStatus({ targetId, paused, onPausedChange }: { targetId: string; paused: boolean; onPausedChange: (p: boolean) => void }) {
  const q = useActivity(targetId, paused);
  const now = useNow(1000);
  const takenAt = q.data?.takenAt ?? null;
  const stale = takenAt !== null && isStale(takenAt, CADENCE_MS.activity, now, REFRESH_MS.live);
  const state = paused ? "paused" : q.error ? "error" : stale ? "stale" : takenAt ? "fresh" : "waiting";
  return (
    <div className="flex items-center gap-2 text-sm" data-testid="live-status" data-state={state}>
      <span
        aria-live="polite"
        className={
          state === "fresh"
            ? "text-slate-600 dark:text-slate-300"
            : state === "paused"
              ? "text-slate-500"
              : "font-medium text-amber-700 dark:text-amber-300"
        }
        title={takenAt ?? undefined}
      >
        {paused ? "paused · " : ""}
        {takenAt ? `last updated ${formatAgo(takenAt, now)}` : "waiting for the first sample"}
        {stale && !paused ? " — stale: the collector is behind" : ""}
        {q.error ? ` — refresh failed: ${q.error.message}` : ""}
      </span>
      <Button size="sm" onClick={() => onPausedChange(!paused)} aria-pressed={paused} data-testid="live-pause">
        {paused ? "Resume" : "Pause"}
      </Button>
    </div>
  );
}
