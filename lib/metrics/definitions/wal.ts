import { z } from "zod";
import { defineMetric } from "../define";
import { CURRENT_LSN } from "./wal-position";

// WAL volume. lsn_bytes is the WAL position as a byte offset: it only grows, so it is a counter
// and its delta per second is the WAL written per second, on PG 13 too (pg_stat_wal is 14+).
// max_wal_size and wal_keep_size are the settings that bound what pg_wal holds without slots;
// wal_segment_size (fixed at initdb) says where segments end, i.e. when one is due for archiving.
// pg_stat_wal: PG 18 moved the write/sync columns to pg_stat_io; only columns common to 14–18
// are read, so one query serves them all.

function sql(stats: string, from: string): string {
  return `/* pgpulse */
SELECT pg_wal_lsn_diff(${CURRENT_LSN}, '0/0')::float8 AS lsn_bytes,
  pg_is_in_recovery() AS in_recovery,
  pg_size_bytes(current_setting('max_wal_size'))::float8 AS max_wal_size_bytes,
  pg_size_bytes(current_setting('wal_keep_size'))::float8 AS wal_keep_size_bytes,
  pg_size_bytes(current_setting('wal_segment_size'))::float8 AS wal_segment_size_bytes,
  ${stats}
${from}`;
}

const NO_STATS = `NULL::bigint AS wal_records, NULL::bigint AS wal_fpi, NULL::float8 AS wal_bytes,
  NULL::bigint AS wal_buffers_full, NULL::timestamptz AS stats_reset`;
const STATS = `w.wal_records, w.wal_fpi, w.wal_bytes::float8 AS wal_bytes, w.wal_buffers_full, w.stats_reset`;

const counter = z.number().nonnegative().nullable();

const row = z.object({
  /** Null on a standby that has not replayed anything yet. */
  lsn_bytes: z.number().nonnegative().nullable(),
  in_recovery: z.boolean(),
  max_wal_size_bytes: z.number().nonnegative(),
  wal_keep_size_bytes: z.number().nonnegative(),
  wal_segment_size_bytes: z.number().positive(),
  /** pg_stat_wal, PG 14+; null on 13. */
  wal_records: counter,
  wal_fpi: counter,
  wal_bytes: counter,
  /** Times a backend had to write WAL itself because wal_buffers was full. */
  wal_buffers_full: counter,
  stats_reset: z.date().nullable(),
});

export type WalRow = z.infer<typeof row>;

export const wal = defineMetric<WalRow>({
  id: "wal",
  description: "WAL position and volume (records, full-page images, bytes) and the WAL size settings",
  scope: "cluster",
  lane: "live",
  intervalMs: 15_000,
  timeoutMs: 2_000,
  sql: {
    130000: sql(NO_STATS, ""),
    140000: sql(STATS, "FROM pg_stat_wal w"),
  },
  row,
  labels: [],
  counters: ["lsn_bytes", "wal_records", "wal_fpi", "wal_bytes", "wal_buffers_full"],
  gauges: ["max_wal_size_bytes", "wal_keep_size_bytes"],
  exposed: true,
});
