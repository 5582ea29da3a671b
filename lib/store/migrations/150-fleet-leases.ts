import type { Migration } from "./types";

// Several pgpulse instances sharing one store (lib/fleet): each instance announces itself in
// `instances` and holds its targets through `leases`. Every time here is the store's clock
// (now()), never an instance's, so instances with skewed clocks still agree on who holds what.
// `epoch` is the fencing token: it grows at every change of holder, and alert writes check it
// in their own transaction, so a holder that lost its lease can no longer write an alert.
export const m150: Migration = {
  id: 150,
  name: "fleet instances and target leases",
  sql: `
CREATE TABLE pgpulse.instances (
  id text PRIMARY KEY,
  name text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE pgpulse.leases (
  target_id text PRIMARY KEY,
  holder text NOT NULL,
  holder_name text NOT NULL,
  epoch bigint NOT NULL DEFAULT 1,
  acquired_at timestamptz NOT NULL DEFAULT now(),
  renewed_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX leases_holder ON pgpulse.leases (holder);
`,
};
