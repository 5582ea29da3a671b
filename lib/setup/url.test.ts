import { describe, expect, it } from "vitest";
import { grantsSql } from "./grants";
import { explainRoleSql, sequenceGrantsSql } from "./opt-in-grants";
import { scramVerifier } from "./scram";
import { databaseOf, isPostgresUrl, maskUrl } from "./url";

describe("setup URL handling", () => {
  it.each([
    ["postgres://u:secret@db.example:5432/app", true],
    ["postgresql://db.example/app", true],
    ["mysql://u:p@h/db", false],
    ["not a url", false],
    ["postgres:///app", false],
  ])("isPostgresUrl(%s) = %s", (url, ok) => expect(isPostgresUrl(url)).toBe(ok));

  it("masks the password and drops query parameters", () => {
    expect(maskUrl("postgres://admin:s3cr%40t@db.example:5432/kundli_db?sslmode=require&password=x")).toBe("postgres://admin:****@db.example:5432/kundli_db");
    expect(maskUrl("postgres://db.example/app")).toBe("postgres://db.example/app");
    expect(maskUrl("::")).toBe("(invalid URL)");
  });

  it("reads the database name, defaulting to postgres", () => {
    expect(databaseOf("postgres://h/kundli%20db")).toBe("kundli db");
    expect(databaseOf("postgres://h")).toBe("postgres");
  });
});

describe("scramVerifier", () => {
  it("has PostgreSQL's stored format and depends on the salt", () => {
    const salt = Buffer.alloc(16, 7);
    const v = scramVerifier("pencil", salt);
    expect(v).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/);
    expect(scramVerifier("pencil", salt)).toBe(v);
    expect(scramVerifier("pencil")).not.toBe(v);
    expect(v).not.toContain("pencil");
  });
});

describe("grantsSql", () => {
  it("quotes unusual identifiers and prints both ways to set the session limits", () => {
    const sql = grantsSql({ role: "Mon Role", database: "kundli_db" });
    expect(sql).toContain(`CREATE ROLE "Mon Role" LOGIN PASSWORD '<choose a password>' CONNECTION LIMIT 8;`);
    expect(sql).toContain(`ALTER ROLE "Mon Role" SET idle_in_transaction_session_timeout = '10s';`);
    expect(sql).toContain(`GRANT CONNECT ON DATABASE kundli_db TO "Mon Role";`);
    expect(sql).toContain("options=-c%20statement_timeout%3D5s");
  });
});

describe("opt-in grants as SQL", () => {
  it("prints the planning role by schema or with pg_read_all_data, and the sequences grant", () => {
    const bySchema = explainRoleSql({ role: "pgpulse_explain", database: "kundli_db", access: { schemas: ["public", "Billing"] } });
    expect(bySchema).toContain("CREATE ROLE pgpulse_explain LOGIN PASSWORD '<choose a password>' CONNECTION LIMIT 4;");
    expect(bySchema).toContain(`GRANT SELECT ON ALL TABLES IN SCHEMA "Billing" TO pgpulse_explain;`);
    expect(bySchema).toContain(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO pgpulse_explain;`);
    expect(bySchema).not.toContain("pg_read_all_data");
    expect(explainRoleSql({ role: "pgpulse_explain", database: "kundli_db", access: "pg_read_all_data" })).toContain("GRANT pg_read_all_data TO pgpulse_explain;");
    expect(sequenceGrantsSql({ role: "Mon Role", schemas: ["public"] })).toContain(`GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO "Mon Role";`);
  });
});
