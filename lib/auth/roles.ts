// Roles are ordered: each one can do everything the one before it can.
// No server-only import: the client shows the role and hides buttons by it (the server still
// decides; hiding is a courtesy).

export const ROLES = ["viewer", "responder", "admin"] as const;

export type Role = (typeof ROLES)[number];

export interface Actor {
  name: string;
  role: Role;
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** True when `actual` is at least `required`. */
export function hasRole(actual: Role, required: Role): boolean {
  return roleRank(actual) >= roleRank(required);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
