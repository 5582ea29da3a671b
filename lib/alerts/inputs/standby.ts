import type { Observation, Rule } from "../types";
import { str, type Row } from "./values";

// standby_status row → standby_down: 1 while the WAL receiver streams, 0 otherwise (no receiver
// row, or starting / waiting / stopping). A standby that restores from an archive only has never
// streamed since start-up (receive_lsn null, no receiver): nothing to watch, no observation.
export function standbyDownObservations(rows: Row[], _rule: Rule): Observation[] {
  const r = rows[0];
  if (!r) return [];
  const status = str(r.receiver_status);
  if (status === null && r.receive_lsn === null) return [];
  return [
    {
      objectKey: "receiver",
      value: status === "streaming" ? 1 : 0,
      labels: {},
      details: { status, senderHost: str(r.sender_host), lastMessageAt: r.last_msg_receipt_time ?? null },
    },
  ];
}
