import { describe, expect, it } from "vitest";
import { DbError, toDbError } from "./errors";

describe("toDbError", () => {
  it.each([
    ["57014", "timeout"],
    ["57P01", "terminated"],
    ["55P03", "lock_timeout"],
    ["42501", "insufficient_privilege"],
    ["42P01", "missing_object"],
    ["42883", "missing_object"],
    ["ECONNREFUSED", "connection"],
    ["22012", "other"],
  ])("maps %s to %s", (code, kind) => expect(toDbError({ code, message: "x" }).kind).toBe(kind));

  it("keeps the original error as its cause, and returns a DbError unchanged", () => {
    const original = Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014", detail: "d" });
    const err = toDbError(original);
    expect(err).toBeInstanceOf(DbError);
    expect(err).toMatchObject({ kind: "timeout", code: "57014", message: original.message });
    expect(err.cause).toBe(original);
    expect(toDbError(err)).toBe(err);
  });

  it("never serialises the cause: it may hold a connection string", () => {
    const original = Object.assign(new Error("boom"), { code: "08006", url: "postgres://u:secret@h/db" });
    const err = toDbError(original);
    expect(JSON.stringify(err)).not.toContain("secret");
    expect(JSON.stringify({ err })).not.toContain("secret");
    expect(String(err)).toBe("DbError: boom");
  });
});
