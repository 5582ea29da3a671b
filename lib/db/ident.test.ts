import { describe, expect, it } from "vitest";
import { qualified, quoteIdent } from "./ident";

describe("quoteIdent", () => {
  it.each([
    ["users_pkey", "users_pkey"],
    ["Users", '"Users"'],
    ["user", '"user"'],
    ["left", '"left"'],
    ["json", '"json"'],
    ["status", "status"],
    ['we"ird', '"we""ird"'],
    ["idx 1", '"idx 1"'],
    ["1abc", '"1abc"'],
    ["a$b", '"a$b"'],
    ["", '""'],
  ])("quoteIdent(%j) = %s", (a, b) => expect(quoteIdent(a)).toBe(b));

  it("qualifies a name with its schema", () => {
    expect(qualified("public", "pg_stat_statements")).toBe("public.pg_stat_statements");
    expect(qualified("My Ext", "pgstatindex")).toBe('"My Ext".pgstatindex');
  });
});
