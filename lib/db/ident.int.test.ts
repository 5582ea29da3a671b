import pg from "pg";
import { describe, expect, it } from "vitest";
import { serverUrl, SUPPORTED_MAJORS } from "@/test/db";
import { quoteIdent } from "./ident";

// quoteIdent against the server's own quote_ident(), on every supported major: every name the
// server quotes is quoted here too (a new keyword in a new release fails this test), and on the
// newest server the two agree exactly.

const NAMES = ["users_pkey", "Users", "user", "we\"ird", "idx 1", "1abc", "a$b", "_x9", "ÄÖ", "public", "pg_catalog"];

describe.each(SUPPORTED_MAJORS)("quoteIdent on PostgreSQL %i", (major) => {
  it("quotes whatever quote_ident quotes", async () => {
    const c = new pg.Client({ connectionString: serverUrl(major) });
    await c.connect();
    try {
      const { rows } = await c.query<{ name: string; quoted: string }>(
        `SELECT name, quote_ident(name) AS quoted
           FROM (SELECT word AS name FROM pg_get_keywords() UNION SELECT unnest($1::text[])) n`,
        [NAMES],
      );
      expect(rows.length).toBeGreaterThan(400);
      const newest = major === SUPPORTED_MAJORS.at(-1);
      // An older server leaves a newer release's keywords bare; quoting them anyway is harmless.
      const wrong = rows.filter((r) => quoteIdent(r.name) !== r.quoted && (newest || r.quoted !== r.name));
      expect(wrong).toEqual([]);
    } finally {
      await c.end();
    }
  });
});
