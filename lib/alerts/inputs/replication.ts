import { formatValue } from "../payload";
import type { Observation, Rule } from "../types";
import { num, str, type Row } from "./values";

/** A standby this many bytes behind is lagging whatever its replay time says. */
export const REPLICATION_LAG_BYTES = 1024 ** 3;

// replication_slots rows → one observation per inactive slot, valued by the WAL it retains.
// "unreserved" means max_slot_wal_keep_size is about to drop WAL the slot needs, "lost" that it
// did: the consumer can no longer resume, whatever the size, so those are forced. An active slot
// has a consumer reading it and is left out (its alert, if any, resolves).
export function replicationSlotObservations(rows: Row[], _rule: Rule): Observation[] {
  return rows.flatMap((r) => {
    const slot = str(r.slot_name);
    const walStatus = str(r.wal_status);
    const doomed = walStatus === "unreserved" || walStatus === "lost";
    if (!slot || (r.active === true && !doomed)) return [];
    return [
      {
        objectKey: `slot:${slot}`,
        value: num(r.retained_bytes),
        ...(doomed ? { forced: `WAL ${walStatus}` } : {}),
        labels: { slot, type: str(r.slot_type) ?? "" },
        details: { walStatus, active: r.active === true, safeWalSize: num(r.safe_wal_size), database: str(r.database), inactiveSince: r.inactive_since ?? null },
      },
    ];
  });
}

/**
 * The replay lag a person should read: the standby's report, or 0 when it has nothing left to
 * replay (the report is null once a standby caught up with an idle primary); unknown otherwise.
 * The alert and the pages read it alike.
 */
export function replayLagSeconds(seconds: number | null, bytesBehind: number | null): number | null {
  return seconds ?? (bytesBehind === 0 ? 0 : null);
}

/** Over REPLICATION_LAG_BYTES behind: forced, with how far as the reason. */
function bytesForced(bytes: number | null): { forced?: string } {
  return bytes !== null && bytes > REPLICATION_LAG_BYTES ? { forced: `${formatValue(bytes, "bytes")} behind, over ${formatValue(REPLICATION_LAG_BYTES, "bytes")}` } : {};
}

// replication rows (on a primary) → one observation per standby. The replay lag is null once a
// standby has caught up with an idle primary: with nothing behind that reads 0, so a firing
// alert resolves; with bytes still behind it is unknown and holds.
function primaryLag(rows: Row[]): Observation[] {
  return rows.flatMap((r) => {
    const name = str(r.application_name);
    if (name === null) return [];
    const bytes = num(r.replay_bytes_behind);
    const seconds = replayLagSeconds(num(r.replay_lag_seconds), bytes);
    return [
      {
        objectKey: `standby:${name}`,
        value: seconds,
        ...bytesForced(bytes),
        labels: { standby: name, client: str(r.client_addr) ?? "" },
        details: { bytesBehind: bytes, state: str(r.state), syncState: str(r.sync_state) },
      },
    ];
  });
}

// standby_status row (on a standby) → the standby's own replay delay, one observation.
function standbyLag(rows: Row[]): Observation[] {
  const r = rows[0];
  if (!r) return [];
  const seconds = num(r.replay_delay_seconds);
  const bytes = num(r.replay_bytes_pending);
  return [
    {
      objectKey: "replay",
      value: seconds,
      ...bytesForced(bytes),
      labels: {},
      details: { bytesBehind: bytes, paused: r.replay_paused === true, receiver: str(r.receiver_status) },
    },
  ];
}

/** Both sides feed replication_lag: a primary per standby, a standby for itself. */
export function replicationLagObservations(rows: Row[], _rule: Rule, ctx: { metric: string }): Observation[] {
  return ctx.metric === "standby_status" ? standbyLag(rows) : primaryLag(rows);
}
