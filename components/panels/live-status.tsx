"use client";

import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { TONE_TEXT } from "@/components/ui/palette";
import { useNow } from "@/components/ui/use-now";
import { formatAgo } from "@/lib/format/time";
import { REFRESH_MS } from "@/lib/limits";
import { isStale } from "./panel-state";
import { useActivity } from "./queries";

/** "last updated N s ago" that turns to stale when the collector falls behind, and pause. */
export function LiveStatus({ targetId, paused, onPausedChange }: { targetId: string; paused: boolean; onPausedChange: (p: boolean) => void }) {
  const q = useActivity(targetId, paused);
  const now = useNow(1000);
  const takenAt = q.data?.takenAt ?? null;
  const stale = takenAt !== null && isStale(takenAt, q.data?.cadenceMs ?? 0, now, REFRESH_MS.live);
  const state = paused ? "paused" : q.error ? "error" : stale ? "stale" : takenAt ? "fresh" : "waiting";
  const text = [
    paused ? "paused · " : "",
    takenAt ? `${stale && !paused ? "stale: " : ""}last updated ${formatAgo(takenAt, now)}` : "waiting for the first sample",
    q.error ? ` — refresh failed: ${q.error.message}` : "",
  ].join("");
  // One line of a fixed width whatever the words: the page header's height never depends on
  // them. What does not fit is in the title; the panels below say stale and failed in full.
  const why = stale && !paused ? " — the collector is behind" : "";
  return (
    <div className="flex items-center gap-2 text-sm" data-testid="live-status" data-state={state}>
      <span
        aria-live="polite"
        className={cx(
          "block w-56 truncate",
          state === "fresh" ? TONE_TEXT.secondary : state === "paused" ? "text-slate-500 dark:text-slate-400" : cx("font-medium", TONE_TEXT.warn),
        )}
        title={`${text}${why}${takenAt ? ` (sampled ${takenAt})` : ""}`}
      >
        {text}
        <span className="sr-only">{why}</span>
      </span>
      <Button size="sm" onClick={() => onPausedChange(!paused)} aria-pressed={paused} data-testid="live-pause">
        {paused ? "Resume" : "Pause"}
      </Button>
    </div>
  );
}
