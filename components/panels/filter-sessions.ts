import type { Session } from "@/lib/api/activity";
import type { LiveParams } from "@/lib/api/search-params";

/** The live page's session filters; "hidden" selects rows hidden by privileges. */
export function filterSessions(sessions: readonly Session[], p: Pick<LiveParams, "state" | "user" | "app" | "q">): Session[] {
  const q = p.q?.toLowerCase() ?? null;
  return sessions.filter(
    (s) =>
      (p.state === null || (p.state === "hidden" ? s.hidden : s.state === p.state)) &&
      (p.user === null || (s.user ?? "").toLowerCase().includes(p.user.toLowerCase())) &&
      (p.app === null || (s.application ?? "").toLowerCase().includes(p.app.toLowerCase())) &&
      (q === null || (s.query ?? "").toLowerCase().includes(q) || String(s.pid) === q),
  );
}
