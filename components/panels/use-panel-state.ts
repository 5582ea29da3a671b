"use client";

import { useNow, useNowPast } from "@/components/ui/use-now";
import { panelState, staleAfter, type PanelState } from "./panel-state";

/** What a panel reads of its query's result. */
interface Answer {
  isPending: boolean;
  error: Error | null;
  data: unknown;
}

export interface PanelStateOptions {
  /**
   * How often the clock is re-read, for the panel's own "… ago" labels. A panel without such
   * labels leaves it out: it then re-renders only on new data and when the sample turns stale.
   */
  everyMs?: number;
  /** Something to draw. By default any answer is, since an empty list is an answer too. */
  hasData?: boolean;
  /**
   * For a collector snapshot: when it was sampled and the cadence it is judged against. There is
   * nothing to draw before the first sample, and an old sample reads as stale.
   */
  sampled?: { takenAt: string | null; cadenceMs: number; slackMs?: number };
}

/** The state of a panel drawing one query, with the clock it was judged at. */
export function usePanelState(q: Answer, o: PanelStateOptions): { state: PanelState; now: number } {
  const takenAt = o.sampled?.takenAt ?? null;
  // A tick at the moment the sample turns stale, so staleness needs no per-second clock.
  const staleAt = takenAt === null ? null : staleAfter(takenAt, o.sampled?.cadenceMs ?? 0, o.sampled?.slackMs);
  const ticked = useNow(o.everyMs ?? null);
  const now = Math.max(ticked, useNowPast(staleAt));
  const state = panelState({
    isPending: q.isPending,
    error: q.error,
    hasData: o.hasData ?? (o.sampled ? takenAt !== null : q.data !== undefined),
    takenAt,
    // Without a sample time there is nothing to age, so the cadence is never read.
    cadenceMs: o.sampled?.cadenceMs ?? 0,
    slackMs: o.sampled?.slackMs,
    now,
  });
  return { state, now };
}
