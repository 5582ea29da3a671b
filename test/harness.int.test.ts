import pg from "pg";
import { describe, expect, it } from "vitest";
import { SUPPORTED_MAJORS, serverUrl } from "./db";

describe("test harness", () => {
  it.each(SUPPORTED_MAJORS)("runs a real PostgreSQL %i", async (major) => {
    const c = new pg.Client({ connectionString: serverUrl(major) });
    await c.connect();
    const { rows } = await c.query("select current_setting('server_version_num')::int / 10000 as major");
    await c.end();
    expect(rows[0].major).toBe(major);
  });
});
