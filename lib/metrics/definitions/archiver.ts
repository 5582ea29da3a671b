import { z } from "zod";
import { defineMetric } from "../define";

// WAL archiving (pg_stat_archiver): a failing archive_command keeps every unarchived segment in
// pg_wal, so failed_count rising while archived_count stands still is a disk filling up.
// The command's text is never read out: it often carries credentials (a bucket key, a
// password in a URL). Whether one is configured is enough to tell "not set up" from "failing".
// With archive_mode off, SHOW archive_command reads "(disabled)" (a show hook): that counts as
// not set. archive_library arrived in 15.

function sql(library: string): string {
  return `/* pgpulse */
SELECT a.archived_count, a.failed_count,
  a.last_archived_wal, a.last_archived_time, a.last_failed_wal, a.last_failed_time, a.stats_reset,
  current_setting('archive_mode') AS archive_mode,
  current_setting('archive_command') NOT IN ('', '(disabled)') AS archive_command_set,
  ${library} AS archive_library_set
FROM pg_stat_archiver a`;
}

const count = z.number().int().nonnegative();

const row = z.object({
  archived_count: count,
  failed_count: count,
  last_archived_wal: z.string().nullable(),
  last_archived_time: z.date().nullable(),
  last_failed_wal: z.string().nullable(),
  last_failed_time: z.date().nullable(),
  stats_reset: z.date().nullable(),
  /** off | on | always. */
  archive_mode: z.string(),
  archive_command_set: z.boolean(),
  /** PG 15+; null before (archive modules did not exist). */
  archive_library_set: z.boolean().nullable(),
});

export type ArchiverRow = z.infer<typeof row>;

export const archiver = defineMetric<ArchiverRow>({
  id: "archiver",
  description: "WAL archiving: segments archived and failed, the last of each, and whether archiving is configured",
  scope: "cluster",
  lane: "live",
  intervalMs: 30_000,
  timeoutMs: 2_000,
  sql: {
    130000: sql("NULL::boolean"),
    150000: sql("current_setting('archive_library') <> ''"),
  },
  row,
  labels: [],
  counters: ["archived_count", "failed_count"],
  gauges: ["archive_command_set", "archive_library_set"],
  exposed: true,
});
