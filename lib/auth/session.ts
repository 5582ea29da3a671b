import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ROLES, type Role } from "./roles";

// Stateless session tokens: base64url(JSON payload) "." base64url(HMAC-SHA256(secret, payload)).
// The expiry is inside the signed payload, so a cookie kept past its Max-Age is still refused.

export const SESSION_COOKIE = "pgpulse_session";

const payloadSchema = z
  .object({
    v: z.literal(1),
    sub: z.string().min(1).max(100),
    role: z.enum(ROLES),
    iat: z.number().int(),
    exp: z.number().int(),
  })
  .strict();

export type SessionPayload = z.infer<typeof payloadSchema>;

function mac(secret: string, data: string): Buffer {
  return createHmac("sha256", secret).update(data).digest();
}

export interface NewSession {
  name: string;
  role: Role;
  ttlSeconds: number;
  /** Seconds since the epoch; injected so tests control the clock. */
  now: number;
}

export function signSession(session: NewSession, secret: string): string {
  const payload: SessionPayload = { v: 1, sub: session.name, role: session.role, iat: session.now, exp: session.now + session.ttlSeconds };
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${mac(secret, body).toString("base64url")}`;
}

/** The payload when the signature is right and `now` is before the expiry; otherwise null. */
export function verifySession(token: string | undefined | null, secret: string, now: number): SessionPayload | null {
  if (!token || token.length > 4096) return null;
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), "base64url");
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success || parsed.data.exp <= now || parsed.data.iat > now + 60) return null;
  return parsed.data;
}

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
}

/** A Set-Cookie value: http-only, SameSite=Lax, path=/, Secure when served over https. */
export function sessionCookie(token: string, { secure, maxAgeSeconds }: CookieOptions): string {
  const parts = [`${SESSION_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie("", { secure, maxAgeSeconds: 0 });
}

/** Reads one cookie from a Cookie header without a cookie library. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
