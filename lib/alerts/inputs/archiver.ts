import { windowDelta } from "@/lib/analysis/counters";
import type { Observation, Rule } from "../types";
import { epochMs, num, type Row } from "./values";
import { createSampleBuffers, type SampleWindows } from "./windows";

/**
 * archiver rows → archive_failing: the archive_command failures within the window. The archiver
 * retries a failing segment every minute or so, so a window (not the last interval, which may
 * hold no attempt) says whether archiving is failing now. A segment archived since the last
 * failure means archiving recovered: 0, whatever the window still counts.
 */
export function archiveFailingWindows(): SampleWindows {
  const buffers = createSampleBuffers(
    () => "archiver",
    (r, ts) => ({ ts, value: num(r.failed_count), reset: epochMs(r.stats_reset) }),
  );
  return {
    add: buffers.add,
    observations(targetId: string, now: number, rows: Row[], rule: Rule): Observation[] {
      const r = rows[0];
      if (!r) return [];
      const samples = buffers.window(targetId, "archiver", now, rule.windowSeconds);
      const failures = windowDelta(samples).delta;
      const lastFailed = epochMs(r.last_failed_time);
      const lastArchived = epochMs(r.last_archived_time);
      const recovered = lastFailed === null || (lastArchived !== null && lastArchived >= lastFailed);
      return [
        {
          objectKey: "archiver",
          // Too few samples since start-up: no value, the state is held.
          value: failures === null ? null : recovered ? 0 : failures,
          labels: {},
          details: { failures, windowSeconds: rule.windowSeconds, lastFailedWal: r.last_failed_wal ?? null, lastFailedTime: r.last_failed_time ?? null, lastArchivedTime: r.last_archived_time ?? null },
        },
      ];
    },
  };
}
