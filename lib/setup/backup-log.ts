// backup_log: the backup job's own record, one row per run, inserted when the run ends (ok or
// not). PostgreSQL keeps no history of base backups (pg_stat_progress_basebackup lives only while
// one runs, and backups made with other tools never show there), so the age of the last good
// backup can only come from the job itself. Installed by `npm run setup` and by the demo schema:
// this is the one place its DDL lives.

export const BACKUP_LOG_DDL = `
CREATE TABLE IF NOT EXISTS public.backup_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  label text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT current_timestamp,
  ok boolean NOT NULL,
  size_bytes bigint,
  tool text
);
`;
