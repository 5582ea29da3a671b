import { describe, expect, it } from "vitest";
import { dropIndexSql, reindexSql } from "./sql-ident";

describe("fix SQL", () => {
  it("builds REINDEX and DROP statements, quoting only where needed", () => {
    expect(reindexSql("public", "birth_charts_user_id_birth_time_idx")).toBe(
      "REINDEX INDEX CONCURRENTLY public.birth_charts_user_id_birth_time_idx;",
    );
    expect(dropIndexSql("App", "x; drop table users")).toBe('DROP INDEX CONCURRENTLY "App"."x; drop table users";');
  });
});
