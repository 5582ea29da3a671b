import type { Checkpoints } from "@/lib/api/maintenance";
import { MIN_CHECKPOINTS } from "@/lib/alerts/inputs/checkpoints";
import { counterIntervals } from "@/lib/analysis/series";
import type { RangePoint } from "@/lib/store/types";
import { type CheckpointWindow } from "@/lib/api/urls";

// Checkpoints over a window from the stored samples of the checkpoints metric. Counters are
// stored raw; the window's figure is the sum of the increases between consecutive samples whose
// interval ends inside it. An interval across a reset (a counter going down, or a changed
// checkpointer_reset_epoch marker) is left out: a reset is a gap, never a spike and never a
// negative count. Pure: the points and the window come in as arguments.

/** Answer field → the checkpoints metric's counter column (its series is `checkpoints.<column>`). */
export const CHECKPOINT_COUNTERS = {
  timed: "timed",
  requested: "requested",
  writeTimeMs: "write_time_ms",
  syncTimeMs: "sync_time_ms",
  buffersCheckpoint: "buffers_checkpoint",
  buffersClean: "buffers_clean",
  buffersBackend: "buffers_backend",
} as const;
export type CheckpointField = keyof typeof CHECKPOINT_COUNTERS;
export const CHECKPOINT_MARKER = "checkpoints.checkpointer_reset_epoch";

export const BUFFERS_BACKEND_NOTE = "PostgreSQL 17 moved writes by backends to pg_stat_io; pg_stat_bgwriter no longer counts them";

export interface CounterWindow {
  /** Σ increases of the usable intervals; null when none is usable. */
  delta: number | null;
  coveredMs: number;
  /** Intervals left out because of a reset (between samples or inside a rollup bucket). */
  resets: number;
}

/** A counter's increase over (fromMs, toMs], from its stored points and the reset marker's. */
export function counterWindow(points: RangePoint[], marker: RangePoint[], fromMs: number, toMs: number): CounterWindow {
  let delta: number | null = null;
  let coveredMs = 0;
  let resets = 0;
  for (const iv of counterIntervals(points, marker)) {
    if (iv.end <= fromMs || iv.end > toMs) continue;
    if (iv.delta === null) {
      resets++;
      continue;
    }
    delta = (delta ?? 0) + iv.delta;
    coveredMs += iv.ms;
  }
  // A rollup bucket's own increase already leaves its resets out; count them still.
  for (const p of points) if (p.lastTs.getTime() > fromMs && p.lastTs.getTime() <= toMs) resets += p.resets;
  return { delta, coveredMs, resets };
}

export interface CheckpointsInput {
  window: CheckpointWindow;
  fromMs: number;
  toMs: number;
  points: Record<CheckpointField, RangePoint[]>;
  marker: RangePoint[];
  /** The newest sample: the snapshot's, else the newest stored one. */
  takenAt: Date | null;
  /** The newest row read buffers_backend as null: the server is 17+. */
  backendWritesMoved: boolean;
  cadenceMs: number;
  unavailable: string | null;
}

export function toCheckpoints(i: CheckpointsInput): Checkpoints {
  const w = (f: CheckpointField) => counterWindow(i.points[f], i.marker, i.fromMs, i.toMs);
  const timed = w("timed");
  const requested = w("requested");
  const total = timed.delta === null || requested.delta === null ? null : timed.delta + requested.delta;
  return {
    takenAt: i.takenAt?.toISOString() ?? null,
    cadenceMs: i.cadenceMs,
    unavailable: i.unavailable,
    window: i.window,
    coveredMs: timed.coveredMs,
    resets: timed.resets,
    timed: timed.delta,
    requested: requested.delta,
    // Same floor as the checkpoints_requested rule: with fewer checkpoints the mix says nothing.
    requestedPercent: total === null || total < MIN_CHECKPOINTS ? null : (requested.delta! / total) * 100,
    minCheckpoints: MIN_CHECKPOINTS,
    writeTimeMs: w("writeTimeMs").delta,
    syncTimeMs: w("syncTimeMs").delta,
    buffersCheckpoint: w("buffersCheckpoint").delta,
    buffersClean: w("buffersClean").delta,
    buffersBackend: i.backendWritesMoved ? null : w("buffersBackend").delta,
    buffersBackendNote: i.backendWritesMoved ? BUFFERS_BACKEND_NOTE : null,
  };
}
