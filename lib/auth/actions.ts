import { allows, requiredAccess, type Method, type PolicyRule } from "./policy";
import type { Role } from "./roles";

// What the pages offer a role: each action is the request it makes, and the role that request
// needs comes from the route × role table (./policy.ts), so the buttons a page shows and the
// requests the server accepts cannot disagree. No server-only import: client components use it.

export type Action = "ack" | "silence" | "explain" | "explain_analyze" | "cancel" | "terminate" | "test_notification";

const REQUEST: Record<Action, { method: Method; path: string; variant?: PolicyRule["variant"] }> = {
  ack: { method: "POST", path: "/api/alerts/:id/ack" },
  silence: { method: "POST", path: "/api/silences" },
  explain: { method: "POST", path: "/api/targets/:id/explain" },
  explain_analyze: { method: "POST", path: "/api/targets/:id/explain", variant: "analyze" },
  cancel: { method: "POST", path: "/api/targets/:id/sessions/:pid/cancel" },
  terminate: { method: "POST", path: "/api/targets/:id/sessions/:pid/terminate" },
  test_notification: { method: "POST", path: "/api/channels/:id/test" },
};

/** True when `role` may take the action; nobody (not signed in yet) may take none. */
export function can(role: Role | null | undefined, action: Action): boolean {
  const r = REQUEST[action];
  return role !== null && role !== undefined && allows(requiredAccess(r.method, r.path, r.variant), role);
}
