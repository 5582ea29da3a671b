import type { Migration } from "./types";

// Who did what to which object, with before/after, from where. Append-only; read newest first,
// hence the index on `at`. gen_random_uuid() is core PostgreSQL from 13 on.
export const m100: Migration = {
  id: 100,
  name: "audit-log",
  sql: `
    CREATE TABLE pgpulse.audit_log (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      actor text NOT NULL,
      role text NOT NULL CHECK (role IN ('viewer', 'responder', 'admin')),
      action text NOT NULL,
      object text NOT NULL,
      before jsonb,
      after jsonb,
      source_address text,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_log_at_idx ON pgpulse.audit_log (at);
  `,
};
