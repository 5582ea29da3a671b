import { describe, expect, it, vi } from "vitest";
import { AlertError } from "@/lib/alerts/errors";
import { AuthError } from "@/lib/auth/errors";
import { DbError } from "@/lib/db/errors";
import { DomainError } from "@/lib/errors";
import { ExplainError } from "@/lib/server/commands/explain";
import { RuntimeNotReadyError } from "@/lib/server/wiring/runtime";
import { StoreBusyError } from "@/lib/store/read-gate";
import { errorResponse } from "./error-response";

vi.stubEnv("PGPULSE_LOG_LEVEL", "silent");

const answer = async (e: unknown) => {
  const res = errorResponse(e);
  return { status: res.status, body: await res.json(), headers: Object.fromEntries(res.headers) };
};

describe("errorResponse", () => {
  it.each([
    ["a 400 naming the parameter", new DomainError(400, "invalid from: must be before to", { param: "from" }), 400, { error: "invalid from: must be before to", param: "from" }],
    ["a 404 without a parameter", new DomainError(404, 'target "x" not found'), 404, { error: 'target "x" not found' }],
    ["an alert conflict", new AlertError("conflict", "alert 7 is resolved: only an open alert can be acknowledged"), 409, { error: "alert 7 is resolved: only an open alert can be acknowledged" }],
    ["an alert not found", new AlertError("not_found", 'no channel "x"'), 404, { error: 'no channel "x"' }],
    ["an EXPLAIN refusal with its code and parameter", new ExplainError(400, "needs_params", "give the values", "params"), 400, { error: "give the values", code: "needs_params", param: "params" }],
    ["a role refusal naming the role needed", new AuthError("forbidden", "admin"), 403, { error: "your role does not allow this", code: "forbidden", required: "admin" }],
    ["a sign-in requirement", new AuthError("unauthenticated"), 401, { error: "sign-in required", code: "unauthenticated" }],
    ["a runtime still starting", new RuntimeNotReadyError(), 503, { error: "pgpulse is starting; try again in a moment" }],
  ])("answers %s with its status and body", async (_name, err, status, body) => {
    const a = await answer(err);
    expect(a.status).toBe(status);
    expect(a.body).toEqual(body);
  });

  it("sends the headers the error carries", async () => {
    expect((await answer(new ExplainError(429, "rate_limited", "too many", undefined, 12))).headers["retry-after"]).toBe("12");
    expect((await answer(new RuntimeNotReadyError())).headers["retry-after"]).toBe("2");
    const busy = await answer(new StoreBusyError("queue_full"));
    expect([busy.status, busy.headers["retry-after"], busy.body.code]).toEqual([503, "1", "store_busy"]);
    expect((await answer(new AuthError("misdirected"))).headers["cache-control"]).toBe("no-store");
    expect((await answer(new DomainError(400, "x"))).headers["retry-after"]).toBeUndefined();
  });

  it("answers 421 for a foreign host, with the rule in the message", async () => {
    const a = await answer(new AuthError("misdirected"));
    expect(a.status).toBe(421);
    expect(a.body.error).toMatch(/localhost, 127\.0\.0\.1, \[::1\].*publicUrl/);
  });

  it("answers a failed target connection with a fixed reason, never the driver's text", async () => {
    const res = errorResponse(new DbError("connection", 'password authentication failed for user "pgpulse_monitor"', "28P01"));
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body).toEqual({ error: "the target did not accept a connection: authentication failed: check the user name, the password and pg_hba.conf" });
    const dns = await errorResponse(new DbError("connection", "getaddrinfo ENOTFOUND db.internal.example", "ENOTFOUND")).json();
    expect(dns.error).toBe("the target did not accept a connection: the host name could not be resolved");
  });

  it("answers anything else 500 without its message", async () => {
    expect(await answer(new Error('relation "pgpulse.secrets" does not exist'))).toMatchObject({ status: 500, body: { error: "internal error" } });
    // Another error with a status field is not a DomainError: its message stays in the log.
    expect(await answer(Object.assign(new Error("SELECT 1"), { status: 400 }))).toMatchObject({ status: 500, body: { error: "internal error" } });
  });
});
