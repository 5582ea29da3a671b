import { describe, expect, it } from "vitest";
import { originAllowed } from "./csrf";

const check = (method: string, h: Record<string, string>, { trustForwardedHost = false, tls = false } = {}) =>
  originAllowed({ method, headers: new Headers(h), trustForwardedHost, tls });

describe("origin check", () => {
  it("never blocks safe methods", () => {
    expect(check("GET", { host: "a:3000", origin: "https://evil.example" })).toBe(true);
    expect(check("HEAD", {})).toBe(true);
  });

  it.each([
    [{ host: "pgpulse.local:3000", origin: "http://pgpulse.local:3000" }, true],
    [{ host: "pgpulse.local", origin: "http://pgpulse.local" }, true],
    [{ host: "pgpulse.local:80", origin: "http://pgpulse.local" }, true],
    [{ host: "PGPULSE.local", origin: "http://pgpulse.LOCAL" }, true],
    [{ host: "pgpulse.local:3000", origin: "http://pgpulse.local:3001" }, false],
    [{ host: "pgpulse.local", origin: "https://evil.example" }, false],
    [{ host: "pgpulse.local", origin: "http://pgpulse.local.evil.example" }, false],
    [{ host: "pgpulse.local", origin: "null" }, false],
    [{ host: "pgpulse.local", origin: "file://pgpulse.local" }, false],
    [{ host: "pgpulse.local" }, false],
    [{ host: "pgpulse.local", "sec-fetch-site": "same-origin" }, true],
    [{ host: "pgpulse.local", "sec-fetch-site": "same-site" }, false],
    [{ host: "pgpulse.local", "sec-fetch-site": "cross-site" }, false],
    [{ host: "pgpulse.local", origin: "https://evil.example", "sec-fetch-site": "same-origin" }, false],
    [{ origin: "http://x" }, false],
  ])("POST over http %j → %s", (headers, expected) => {
    expect(check("POST", headers)).toBe(expected);
    expect(check("DELETE", headers)).toBe(expected);
  });

  it.each([
    // The scheme is part of the origin: same host and port, other scheme, is another site.
    ["http request, https Origin", { host: "pgpulse.local:8443", origin: "https://pgpulse.local:8443" }, { tls: false }, false],
    ["https request, http Origin", { host: "pgpulse.local:8080", origin: "http://pgpulse.local:8080" }, { tls: true }, false],
    ["https request, https Origin", { host: "pgpulse.local", origin: "https://pgpulse.local" }, { tls: true }, true],
    ["https request, default port spelled out", { host: "pgpulse.local:443", origin: "https://pgpulse.local" }, { tls: true }, true],
  ])("scheme: %s", (_label, headers, opts, expected) => {
    expect(check("POST", headers, opts)).toBe(expected);
  });

  it("uses X-Forwarded-Host only from a trusted proxy", () => {
    const h = { host: "127.0.0.1:3000", "x-forwarded-host": "pgpulse.example.com", origin: "https://pgpulse.example.com" };
    expect(check("POST", h, { trustForwardedHost: true, tls: true })).toBe(true);
    expect(check("POST", h, { trustForwardedHost: false, tls: true })).toBe(false);
  });
});
