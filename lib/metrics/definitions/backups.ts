import { z } from "zod";
import { defineMetric } from "../define";

// Backups as the backup job records them in backup_log (lib/setup/backup-log.ts): the newest
// successful run (what a restore would start from, and how old it is) and the newest run of any
// outcome (a failing job shows here before the good backup grows old). One row always: with an
// empty log every column is null.

const SQL = `/* pgpulse */
WITH good AS (
  SELECT label, finished_at, size_bytes, tool FROM backup_log WHERE ok ORDER BY finished_at DESC, id DESC LIMIT 1
), latest AS (
  SELECT label, finished_at, ok FROM backup_log ORDER BY finished_at DESC, id DESC LIMIT 1
)
SELECT good.label AS last_ok_label, good.finished_at AS last_ok_finished_at,
  extract(epoch FROM clock_timestamp() - good.finished_at)::float8 AS last_ok_age_seconds,
  good.size_bytes::float8 AS last_ok_size_bytes, good.tool AS last_ok_tool,
  latest.label AS last_label, latest.finished_at AS last_finished_at, latest.ok AS last_ok
FROM (SELECT 1) one LEFT JOIN good ON true LEFT JOIN latest ON true`;

const row = z.object({
  last_ok_label: z.string().nullable(),
  last_ok_finished_at: z.date().nullable(),
  last_ok_age_seconds: z.number().nullable(),
  last_ok_size_bytes: z.number().nonnegative().nullable(),
  last_ok_tool: z.string().nullable(),
  /** The newest run, whatever its outcome. */
  last_label: z.string().nullable(),
  last_finished_at: z.date().nullable(),
  last_ok: z.boolean().nullable(),
});

export type BackupsRow = z.infer<typeof row>;

export const backups = defineMetric<BackupsRow>({
  id: "backups",
  description: "The newest successful backup (its age and size) and the outcome of the newest run, from backup_log",
  scope: "database",
  // It reads an application table, not a statistics view: the bulk lane.
  lane: "bulk",
  intervalMs: 60_000,
  timeoutMs: 3_000,
  sql: { 130000: SQL },
  requires: { objects: ["backup_log"] },
  row,
  labels: [],
  counters: [],
  gauges: ["last_ok_age_seconds", "last_ok_size_bytes", "last_ok"],
  exposed: true,
});
