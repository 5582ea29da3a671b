import { z } from "zod";
import { roleSchema, type Role } from "./common";

// GET /api/auth/me — who is looking. The UI hides actions a role cannot take; the server
// enforces the same rules whatever the UI shows.

export const meSchema = z.object({
  name: z.string().nullable(),
  role: roleSchema,
  authMode: z.enum(["none", "builtin", "proxy"]),
});
export type Me = z.infer<typeof meSchema>;
export const ME_URL = "/api/auth/me";

const RANK: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 };

export type Action = "ack" | "silence" | "explain" | "explain_analyze" | "cancel" | "terminate" | "test_notification";
const NEEDS: Record<Action, Role> = {
  ack: "responder",
  silence: "responder",
  explain: "responder",
  explain_analyze: "admin",
  cancel: "admin",
  terminate: "admin",
  test_notification: "admin",
};

export function can(role: Role | null | undefined, action: Action): boolean {
  return role !== null && role !== undefined && RANK[role] >= RANK[NEEDS[action]];
}
