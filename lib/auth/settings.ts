import "server-only";
import { env } from "@/lib/env";
import { loadConfig } from "@/lib/config/load";
import type { PgpulseConfig } from "@/lib/config/schema";
import { parseRange } from "./cidr";
import { hostName } from "./host";
import { parseHash } from "./password";
import { processWide } from "@/lib/process-wide";

// Everything the auth layer needs, read once from the config file and the environment and
// checked as a whole: a half-configured sign-in must stop start-up, not fail open later.

type AuthConfig = PgpulseConfig["auth"];

export interface AuthSettings {
  mode: AuthConfig["mode"];
  users: AuthConfig["users"];
  proxy: AuthConfig["proxy"];
  sessionTtlSeconds: number;
  /** trustedProxies plus, in proxy mode, proxy.trustedAddresses. */
  trustedProxies: string[];
  sessionSecret: string | undefined;
  metricsToken: string | undefined;
  /** The host name of the config's publicUrl: served besides loopback names and IP addresses. */
  publicHost: string | null;
}

export class AuthConfigError extends Error {}

export function buildAuthSettings(
  auth: AuthConfig,
  secrets: { sessionSecret?: string; metricsToken?: string },
  site: { publicUrl?: string } = {},
): AuthSettings {
  const settings: AuthSettings = {
    mode: auth.mode,
    users: auth.users,
    proxy: auth.proxy,
    sessionTtlSeconds: auth.sessionTtlSeconds,
    trustedProxies: [...auth.trustedProxies, ...(auth.mode === "proxy" && auth.proxy ? auth.proxy.trustedAddresses : [])],
    sessionSecret: secrets.sessionSecret,
    metricsToken: secrets.metricsToken,
    // The config schema has checked that publicUrl is an http(s) origin.
    publicHost: site.publicUrl ? hostName(new URL(site.publicUrl).host) : null,
  };
  validateAuthSettings(settings);
  return settings;
}

/** Throws AuthConfigError with every problem and how to fix it. */
export function validateAuthSettings(s: AuthSettings): void {
  const problems: string[] = [];
  if (s.mode === "builtin") {
    if (!s.sessionSecret) {
      problems.push(
        "PGPULSE_SESSION_SECRET is not set. Sign-in signs its session cookies with it. Generate one with\n" +
          "    node -e \"console.log(require('crypto').randomBytes(48).toString('base64url'))\"\n" +
          "  and set it in the server's environment (at least 32 characters; keep it out of the config file and of git).",
      );
    }
    if (s.users.length === 0) {
      problems.push('auth.users is empty: add { "name", "role", "passwordHash" } entries; `npm run hash-password` prints a hash.');
    }
    const seen = new Set<string>();
    for (const u of s.users) {
      if (seen.has(u.name)) problems.push(`auth.users: duplicate user "${u.name}"`);
      seen.add(u.name);
      if (!parseHash(u.passwordHash)) problems.push(`auth.users "${u.name}": passwordHash is not a scrypt hash from \`npm run hash-password\``);
    }
  }
  if (s.mode === "proxy" && !s.proxy) {
    problems.push('auth.mode is "proxy" but auth.proxy is missing: set userHeader and trustedAddresses (the proxy\'s IPs or CIDRs).');
  }
  for (const entry of s.trustedProxies) {
    try {
      parseRange(entry);
    } catch (e) {
      problems.push(`trusted address: ${(e as Error).message}`);
    }
  }
  if (problems.length > 0) throw new AuthConfigError(`Authentication is misconfigured:\n  ${problems.join("\n  ")}`);
}

/** The process's auth settings, loaded and validated on first use (a failure is not kept: the next call tries again). */
export function authSettings(): AuthSettings {
  return processWide("authSettings", () => {
    const e = env();
    const config = loadConfig({ configPath: e.PGPULSE_CONFIG });
    return buildAuthSettings(config.auth, { sessionSecret: e.PGPULSE_SESSION_SECRET, metricsToken: e.PGPULSE_METRICS_TOKEN }, { publicUrl: config.publicUrl });
  });
}
