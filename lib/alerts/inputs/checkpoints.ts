import { windowDelta } from "@/lib/analysis/counters";
import type { Observation, Rule } from "../types";
import { epochMs, num, type Row } from "./values";
import { createSampleBuffers, type SampleWindows } from "./windows";

/** Fewer checkpoints than this in the window say nothing about their mix: no value. */
export const MIN_CHECKPOINTS = 3;

/**
 * checkpoints rows → checkpoints_requested: the share of checkpoints over the window that were
 * requested (max_wal_size reached, CHECKPOINT, a base backup) rather than timed. A high share
 * means max_wal_size is too small for the write load: checkpoints come early and often.
 */
export function checkpointsRequestedWindows(): SampleWindows {
  const buffers = createSampleBuffers(
    () => "checkpointer",
    (r, ts) => ({ ts, timed: num(r.timed), requested: num(r.requested), reset: epochMs(r.checkpointer_stats_reset) }),
  );
  return {
    add: buffers.add,
    observations(targetId: string, now: number, rows: Row[], rule: Rule): Observation[] {
      if (!rows[0]) return [];
      const samples = buffers.window(targetId, "checkpointer", now, rule.windowSeconds);
      const timed = windowDelta(samples.map((s) => ({ ts: s.ts, value: s.timed, reset: s.reset }))).delta;
      const requested = windowDelta(samples.map((s) => ({ ts: s.ts, value: s.requested, reset: s.reset }))).delta;
      const total = timed === null || requested === null ? null : timed + requested;
      return [
        {
          objectKey: "checkpoints",
          value: total === null || total < MIN_CHECKPOINTS ? null : (requested! / total) * 100,
          labels: {},
          details: { timed, requested, windowSeconds: rule.windowSeconds },
        },
      ];
    },
  };
}
