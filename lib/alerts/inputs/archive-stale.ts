import type { Observation, Rule } from "../types";
import { epochMs, num, str, type Row } from "./values";
import type { SampleWindows } from "./windows";

/**
 * wal + archiver rows → archive_stale: archiving is on, a WAL segment has been completed since
 * the last one was archived, and that last archive is older than the threshold. Neither metric
 * says it alone: the archiver knows when it last succeeded, the WAL position knows whether
 * anything has been waiting since. A quiet server that has not filled a segment has nothing to
 * archive (without archive_timeout) and is not stale, however old its last archive.
 *
 * "Completed since the last archive": the WAL position read after the archiver was seen to
 * progress is the anchor; once the current position is in a later segment, the anchor's segment
 * is complete and unarchived. The anchor is read after the progress was seen, so it can only be
 * late (under-counting waiting segments, never inventing one). Until an anchor exists (start-up,
 * or just after progress) the value is unknown and the state is held.
 *
 * The age comes from the server's last_archived_time against pgpulse's clock: skew between the
 * two is seconds, the line is minutes. Never archived since the counters were reset: the age
 * counts from when pgpulse first saw that, a lower bound.
 */

interface TargetState {
  /** Latest wal reading. */
  wal: { ts: number; lsn: number; segmentBytes: number } | null;
  /** Latest archiver reading. */
  archiver: { ts: number; row: Row } | null;
  archivedCount: number | null;
  /** When archived_count last moved (or was first seen), pgpulse's clock. */
  progressAt: number | null;
  /** WAL position read after that; null until a wal reading newer than the progress arrives. */
  anchorLsn: number | null;
}

export function archiveStaleInput(): SampleWindows {
  const targets = new Map<string, TargetState>();
  const stateOf = (targetId: string): TargetState => {
    let s = targets.get(targetId);
    if (!s) targets.set(targetId, (s = { wal: null, archiver: null, archivedCount: null, progressAt: null, anchorLsn: null }));
    return s;
  };

  function add(targetId: string, ts: number, rows: Row[], _keepMs: number, metric: string): void {
    const r = rows[0];
    if (!r) return;
    const s = stateOf(targetId);
    if (metric === "wal") {
      const lsn = num(r.lsn_bytes);
      const segmentBytes = num(r.wal_segment_size_bytes);
      if (lsn === null || segmentBytes === null || (s.wal && s.wal.ts >= ts)) return;
      s.wal = { ts, lsn, segmentBytes };
      if (s.anchorLsn === null && s.progressAt !== null && ts > s.progressAt) s.anchorLsn = lsn;
    } else if (metric === "archiver") {
      if (s.archiver && s.archiver.ts >= ts) return;
      s.archiver = { ts, row: r };
      const count = num(r.archived_count);
      if (count !== s.archivedCount) {
        // Progress (or the first sighting, or a counter reset): wait for a WAL position read after it.
        s.archivedCount = count;
        s.progressAt = ts;
        s.anchorLsn = null;
      }
    }
  }

  function observations(targetId: string, now: number, _rows: Row[], _rule: Rule, _metric: string): Observation[] {
    const s = targets.get(targetId);
    const a = s?.archiver?.row;
    if (!s || !a || !archivingOn(a)) return [];
    const lastArchived = epochMs(a.last_archived_time);
    const details = { lastArchivedWal: str(a.last_archived_wal), lastArchivedTime: a.last_archived_time ?? null, segmentsWaiting: null as number | null };
    if (!s.wal || s.anchorLsn === null) return [{ objectKey: "archiver", value: null, labels: {}, details }];
    const seg = s.wal.segmentBytes;
    const waiting = Math.floor(s.wal.lsn / seg) - Math.floor(s.anchorLsn / seg);
    // Nothing completed since the last archive: nothing is late, and an open alert resolves.
    if (waiting < 1) return [];
    const since = lastArchived ?? s.progressAt!;
    return [{ objectKey: "archiver", value: Math.max(0, (now - since) / 1000), labels: {}, details: { ...details, segmentsWaiting: waiting } }];
  }

  return { add, observations };
}

/** archive_mode on (or always) with a command or library to run. */
function archivingOn(r: Row): boolean {
  const mode = str(r.archive_mode);
  return (mode === "on" || mode === "always") && (r.archive_command_set === true || r.archive_library_set === true);
}
