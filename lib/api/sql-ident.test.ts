import { describe, expect, it } from "vitest";
import { dropIndexSql, quoteIdent, reindexSql } from "./sql-ident";

describe("fix SQL", () => {
  it.each([
    ["users_pkey", "users_pkey"],
    ["Users", '"Users"'],
    ["user", '"user"'],
    ['we"ird', '"we""ird"'],
    ["idx 1", '"idx 1"'],
    ["1abc", '"1abc"'],
  ])("quoteIdent(%s) = %s", (a, b) => expect(quoteIdent(a)).toBe(b));
  it("builds REINDEX and DROP statements", () => {
    expect(reindexSql("public", "birth_charts_user_id_birth_time_idx")).toBe(
      "REINDEX INDEX CONCURRENTLY public.birth_charts_user_id_birth_time_idx;",
    );
    expect(dropIndexSql("App", "x; drop table users")).toBe('DROP INDEX CONCURRENTLY "App"."x; drop table users";');
  });
});
