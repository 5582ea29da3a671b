import { describe, expect, it } from "vitest";
import { CONNECTION_FAILURE_MESSAGES, connectionFailureKind, describeConnectionFailure } from "./connection-failure";

describe("connection failures in fixed words", () => {
  it.each([
    [{ code: "ECONNREFUSED", message: "connect ECONNREFUSED 10.0.0.5:5432" }, "refused"],
    [{ message: "connect ECONNREFUSED 127.0.0.1:5432" }, "refused"],
    [{ code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND db.internal.example" }, "dns"],
    [{ message: "getaddrinfo EAI_AGAIN db.internal.example" }, "dns"],
    [{ message: "timeout exceeded when trying to connect" }, "timeout"],
    [{ message: "did not finish within 15000 ms" }, "timeout"],
    [{ code: "EHOSTUNREACH", message: "connect EHOSTUNREACH 10.9.9.9:5432" }, "unreachable"],
    [{ code: "28P01", message: 'password authentication failed for user "pgpulse_monitor"' }, "authentication"],
    [{ message: 'no pg_hba.conf entry for host "10.1.1.1", user "mon", database "app", no encryption' }, "authentication"],
    [{ message: 'role "mon" does not exist' }, "authentication"],
    [{ code: "3D000", message: 'database "kundli_db" does not exist' }, "no_database"],
    [{ message: 'database "kundli_db" does not exist' }, "no_database"],
    [{ code: "53300", message: "sorry, too many clients already" }, "too_many_connections"],
    [{ message: 'too many connections for role "mon"' }, "too_many_connections"],
    [{ code: "57P03", message: "the database system is starting up" }, "not_accepting"],
    [{ message: "The server does not support SSL connections" }, "tls"],
    [{ message: "Connection terminated unexpectedly" }, "closed"],
    [{ message: "something nobody has seen before at db.internal" }, "other"],
  ])("%j → %s", (error, kind) => {
    expect(connectionFailureKind(error)).toBe(kind);
  });

  it("never repeats a host, role or database name", () => {
    const raw = ['password authentication failed for user "pgpulse_monitor"', "getaddrinfo ENOTFOUND db.internal.example", 'database "kundli_db" does not exist', "odd failure at 10.0.0.5"];
    for (const message of raw) {
      const text = describeConnectionFailure({ message });
      expect(Object.values(CONNECTION_FAILURE_MESSAGES)).toContain(text);
      expect(text).not.toMatch(/pgpulse_monitor|db\.internal|kundli_db|10\.0\.0\.5/);
    }
  });

  it("maps a fixed sentence to itself, so stored reasons read the same", () => {
    for (const text of Object.values(CONNECTION_FAILURE_MESSAGES)) expect(describeConnectionFailure({ message: text })).toBe(text);
  });
});
