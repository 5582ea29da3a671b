import type { Migration } from "./types";

// A silence suppresses notifications (never state changes) for alerts its matchers select,
// between starts_at and ends_at, unless expired early (expired_at / expired_by).
export const m052: Migration = {
  id: 52,
  name: "silences",
  sql: `
CREATE TABLE pgpulse.silences (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matchers jsonb NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  reason text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expired_at timestamptz,
  expired_by text,
  CHECK (ends_at > starts_at)
);
CREATE INDEX silences_open ON pgpulse.silences (ends_at) WHERE expired_at IS NULL;
`,
};
