import { z } from "zod";
import { defineMetric } from "../define";

// Checkpoints and background writes. PG 17 split pg_stat_bgwriter: the checkpoint columns moved
// to pg_stat_checkpointer under new names, and buffers_backend / buffers_backend_fsync moved to
// pg_stat_io (no single column replaces them), so they read null on 17+. Both layouts map to
// one row shape. Frequent requested checkpoints (against timed ones) mean max_wal_size is too
// small for the write load. All columns are cumulative counters.

const UP_TO_16 = `/* pgpulse */
SELECT b.checkpoints_timed AS timed, b.checkpoints_req AS requested,
  b.checkpoint_write_time AS write_time_ms, b.checkpoint_sync_time AS sync_time_ms,
  b.buffers_checkpoint, b.buffers_clean, b.maxwritten_clean,
  b.buffers_backend, b.buffers_backend_fsync, b.buffers_alloc,
  b.stats_reset AS checkpointer_stats_reset, b.stats_reset AS bgwriter_stats_reset,
  extract(epoch FROM b.stats_reset)::float8 AS checkpointer_reset_epoch
FROM pg_stat_bgwriter b`;

const FROM_17 = `/* pgpulse */
SELECT c.num_timed AS timed, c.num_requested AS requested,
  c.write_time AS write_time_ms, c.sync_time AS sync_time_ms,
  c.buffers_written AS buffers_checkpoint, b.buffers_clean, b.maxwritten_clean,
  NULL::bigint AS buffers_backend, NULL::bigint AS buffers_backend_fsync, b.buffers_alloc,
  c.stats_reset AS checkpointer_stats_reset, b.stats_reset AS bgwriter_stats_reset,
  extract(epoch FROM c.stats_reset)::float8 AS checkpointer_reset_epoch
FROM pg_stat_checkpointer c, pg_stat_bgwriter b`;

const count = z.number().nonnegative();

const row = z.object({
  /** Checkpoints started by checkpoint_timeout. */
  timed: count,
  /** Requested: CHECKPOINT, max_wal_size reached, a base backup, a shutdown. */
  requested: count,
  write_time_ms: count,
  sync_time_ms: count,
  buffers_checkpoint: count,
  buffers_clean: count,
  maxwritten_clean: count,
  /** 13–16; null on 17+ (moved to pg_stat_io). */
  buffers_backend: count.nullable(),
  buffers_backend_fsync: count.nullable(),
  buffers_alloc: count,
  /** The two views are reset separately on 17+ (pg_stat_reset_shared('checkpointer' | 'bgwriter')). */
  checkpointer_stats_reset: z.date().nullable(),
  bgwriter_stats_reset: z.date().nullable(),
  /**
   * checkpointer_stats_reset as a number, stored as a gauge: the marker that tells a reset from a
   * quiet interval when deltas are read back from the store (a counter still at 0 after a reset
   * does not go down). It covers buffers_backend too: on 13–16 one reset serves the whole view.
   */
  checkpointer_reset_epoch: z.number().nullable(),
});

export type CheckpointsRow = z.infer<typeof row>;

export const checkpoints = defineMetric<CheckpointsRow>({
  id: "checkpoints",
  description: "Checkpoints (timed and requested, write and sync time) and buffers written by the checkpointer, bgwriter and backends",
  scope: "cluster",
  lane: "live",
  intervalMs: 60_000,
  timeoutMs: 2_000,
  sql: { 130000: UP_TO_16, 170000: FROM_17 },
  row,
  labels: [],
  counters: [
    "timed", "requested", "write_time_ms", "sync_time_ms", "buffers_checkpoint", "buffers_clean",
    "maxwritten_clean", "buffers_backend", "buffers_backend_fsync", "buffers_alloc",
  ],
  gauges: ["checkpointer_reset_epoch"],
  exposed: true,
});
