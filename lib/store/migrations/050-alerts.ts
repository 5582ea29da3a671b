import type { Migration } from "./types";

// One row per episode (pending → firing → resolved, or pending → inactive when the condition
// cleared before `for` elapsed), so history is kept; at most one open episode per
// (rule, target, object), enforced by a partial unique index.
export const m050: Migration = {
  id: 50,
  name: "alerts",
  sql: `
CREATE TABLE pgpulse.alerts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule text NOT NULL,
  target_id text NOT NULL,
  object_key text NOT NULL,
  labels jsonb NOT NULL DEFAULT '{}',
  state text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved', 'inactive')),
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  value double precision,
  threshold double precision,
  since timestamptz NOT NULL,
  fired_at timestamptz,
  resolved_at timestamptz,
  last_eval_at timestamptz NOT NULL,
  last_bad_at timestamptz,
  acknowledged_by text,
  acknowledged_at timestamptz,
  ack_comment text,
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX alerts_open_instance ON pgpulse.alerts (rule, target_id, object_key) WHERE state IN ('pending', 'firing');
CREATE INDEX alerts_since ON pgpulse.alerts (since DESC);
CREATE INDEX alerts_target_since ON pgpulse.alerts (target_id, since DESC);

CREATE TABLE pgpulse.alert_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id bigint NOT NULL REFERENCES pgpulse.alerts (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  from_state text NOT NULL,
  to_state text NOT NULL,
  value double precision,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX alert_events_alert ON pgpulse.alert_events (alert_id, at);
`,
};
