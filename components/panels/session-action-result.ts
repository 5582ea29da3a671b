import type { SessionActionResponse } from "@/lib/api/activity";
import { formatDuration } from "@/lib/format/duration";

// What a cancel or terminate did, in words, from the server's answer: the signal was sent (or
// the pid was gone), and whether the statement or session ended, and how fast.

export interface SessionActionResult {
  tone: "good" | "warn" | "bad";
  text: string;
}

export function describeSessionAction(r: SessionActionResponse): SessionActionResult {
  const who = `pid ${r.pid}`;
  const watched = formatDuration(r.watchedMs);
  if (!r.ok || r.outcome === "gone") return { tone: "bad", text: `${who} had already ended: no signal was sent.` };
  if (r.action === "terminate") {
    return r.outcome === "ended"
      ? { tone: "good", text: `Terminate sent to ${who}: the session ended after ${formatDuration(r.afterMs)}.` }
      : { tone: "warn", text: `Terminate sent to ${who}, but the session was still there ${watched} later; it ends at its next interrupt check. The list below shows when it goes.` };
  }
  switch (r.outcome) {
    case "ended":
      return {
        tone: "good",
        text: `Cancel sent to ${who}: its statement stopped after ${formatDuration(r.afterMs)}; ${r.stateAfter ? `the session is now ${r.stateAfter}` : "the session ended"}.`,
      };
    case "still_running":
      return { tone: "warn", text: `Cancel sent to ${who}, but its statement was still running ${watched} later (it may trap the cancel). Terminate ends the session.` };
    case "not_running":
      return { tone: "warn", text: `Cancel sent to ${who}, but it was not running a statement (${r.stateAfter ?? "state unknown"}): nothing to stop. Terminate ends the session and rolls back its transaction.` };
    default:
      return { tone: "warn", text: `Cancel sent to ${who}. Whether its statement stopped cannot be seen: the monitoring role cannot read this session's state (GRANT pg_read_all_stats, part of pg_monitor).` };
  }
}
