import type { Migration } from "./types";

// The notification outbox is written in the same transaction as the transition it announces.
// Workers claim rows with FOR UPDATE SKIP LOCKED and a short lease (locked_until), so several
// pgpulse processes can share one store and a crashed worker's rows are picked up again.
export const m051: Migration = {
  id: 51,
  name: "notification outbox",
  sql: `
CREATE TABLE pgpulse.notification_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id bigint REFERENCES pgpulse.alerts (id) ON DELETE CASCADE,
  event_id bigint REFERENCES pgpulse.alert_events (id) ON DELETE CASCADE,
  channel_id text NOT NULL,
  idempotency_key text NOT NULL UNIQUE,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'dead')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX notification_outbox_due ON pgpulse.notification_outbox (channel_id, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX notification_outbox_alert ON pgpulse.notification_outbox (alert_id);

CREATE TABLE pgpulse.notification_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  outbox_id bigint NOT NULL REFERENCES pgpulse.notification_outbox (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  status_code int,
  error text,
  duration_ms double precision NOT NULL
);
CREATE INDEX notification_attempts_outbox ON pgpulse.notification_attempts (outbox_id, at);
`,
};
