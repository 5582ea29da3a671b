import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { clearedSessionCookie, readCookie, sessionCookie, signSession, verifySession } from "./session";

const SECRET = "a".repeat(40);
const NOW = 1_750_000_000;

describe("session tokens", () => {
  const token = signSession({ name: "ana", role: "responder", ttlSeconds: 3600, now: NOW }, SECRET);

  it("round-trips before expiry", () => {
    expect(verifySession(token, SECRET, NOW + 10)).toEqual({ v: 1, sub: "ana", role: "responder", iat: NOW, exp: NOW + 3600 });
  });

  it("expires at exp (expiry is inside the signed payload)", () => {
    expect(verifySession(token, SECRET, NOW + 3599)?.sub).toBe("ana");
    expect(verifySession(token, SECRET, NOW + 3600)).toBeNull();
  });

  it("refuses another secret", () => {
    expect(verifySession(token, "b".repeat(40), NOW)).toBeNull();
  });

  it("refuses a tampered payload or signature", () => {
    const [body, sig] = token.split(".");
    const payload = JSON.parse(Buffer.from(body, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, role: "admin" })).toString("base64url");
    expect(verifySession(`${forged}.${sig}`, SECRET, NOW)).toBeNull();
    const longer = Buffer.from(JSON.stringify({ ...payload, exp: NOW + 999_999 })).toString("base64url");
    expect(verifySession(`${longer}.${sig}`, SECRET, NOW)).toBeNull();
    expect(verifySession(`${body}.${sig.slice(0, -2)}`, SECRET, NOW)).toBeNull();
    expect(verifySession(`${body}.${sig}.x`, SECRET, NOW)).toBeNull();
    expect(verifySession(body, SECRET, NOW)).toBeNull();
    expect(verifySession("", SECRET, NOW)).toBeNull();
    expect(verifySession(null, SECRET, NOW)).toBeNull();
  });

  it("refuses a well-signed payload of the wrong shape", () => {
    const body = Buffer.from(JSON.stringify({ v: 1, sub: "x", role: "root", iat: NOW, exp: NOW + 10 })).toString("base64url");
    const sig = createHmac("sha256", SECRET).update(body).digest("base64url");
    expect(verifySession(`${body}.${sig}`, SECRET, NOW)).toBeNull();
  });

  it("builds an http-only SameSite=Lax cookie, Secure only over https", () => {
    const c = sessionCookie("tok", { secure: false, maxAgeSeconds: 60 });
    expect(c).toBe("pgpulse_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
    expect(sessionCookie("tok", { secure: true, maxAgeSeconds: 60 })).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toContain("Max-Age=0");
  });

  it("reads one cookie from a Cookie header", () => {
    expect(readCookie("a=1; pgpulse_session=xyz.abc; b=2", "pgpulse_session")).toBe("xyz.abc");
    expect(readCookie("xpgpulse_session=1", "pgpulse_session")).toBeNull();
    expect(readCookie(null, "pgpulse_session")).toBeNull();
  });
});
