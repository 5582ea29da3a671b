import type { Migration } from "./types";

// What an instance that does not poll a target shows of it (/api/health, the fleet list) comes
// from the store, written by the polling instance:
//  - target_up_changes, one row per up/down transition, also gets a row when the error while
//    down, or the server version or role (primary/standby) while up, changes, and carries both
//    on every row: its newest row is the target's state, and the first down row after the last
//    up row the start of the outage;
//  - leases.last_sample_at, set with the renewal the holder makes every tick anyway (no statement
//    of its own), fenced like the renewal by holder and epoch.
export const m151: Migration = {
  id: 151,
  name: "target state for the other instances",
  sql: `
ALTER TABLE pgpulse.target_up_changes
  ADD COLUMN server_version text,
  ADD COLUMN role text CHECK (role IN ('primary', 'standby'));
ALTER TABLE pgpulse.leases ADD COLUMN last_sample_at timestamptz;
`,
};
