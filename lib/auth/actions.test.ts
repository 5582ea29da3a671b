import { describe, expect, it } from "vitest";
import { can, type Action } from "./actions";
import { ROLES, type Role } from "./roles";

// The role each page action needs, read from the route × role table: a change there shows here.

const cases: Array<[Action, Role]> = [
  ["ack", "responder"],
  ["silence", "responder"],
  ["explain", "responder"],
  ["explain_analyze", "admin"],
  ["cancel", "admin"],
  ["terminate", "admin"],
  ["test_notification", "admin"],
];

describe("can", () => {
  it.each(cases)("%s needs %s", (action, needed) => {
    expect(ROLES.filter((r) => can(r, action))).toEqual(ROLES.slice(ROLES.indexOf(needed)));
  });

  it("offers nothing before the caller is known", () => {
    expect(can(null, "ack")).toBe(false);
    expect(can(undefined, "explain")).toBe(false);
  });
});
