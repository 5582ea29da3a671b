// Which Host names pgpulse answers for: the defence against DNS rebinding. A page on
// attacker.example whose name is re-pointed at 127.0.0.1 is same-origin with itself, so the
// browser lets it read our answers and send our Origin; only the Host header still says
// "attacker.example". We therefore serve only names we know: the loopback names, IP literals
// (an address cannot be re-pointed, so it cannot be rebound), and the host of `publicUrl`.
// The port is not compared: behind proxies and port mappings it is not reliably known.
// No server-only import and no Node module: errors.ts, which the client may import, names the rule.

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

export const HOST_RULE =
  "pgpulse answers only for localhost, 127.0.0.1, [::1], IP addresses and the host of publicUrl in pgpulse.config.json";

/** The host name of a Host header value ("Example.com:3000" → "example.com"), or null when malformed. */
export function hostName(host: string): string | null {
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return null;
  }
  // Anything beyond host[:port] (userinfo, a path, a query) means the header is not a host.
  if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) return null;
  // "localhost." is the same name as "localhost".
  return url.hostname.replace(/\.$/, "");
}

/** True when `host` (a Host or trusted X-Forwarded-Host value) names this pgpulse. */
export function hostAllowed(host: string | null, publicHost: string | null): boolean {
  if (!host) return false;
  const name = hostName(host.trim());
  if (name === null || name === "") return false;
  if (LOOPBACK_NAMES.has(name) || name === publicHost) return true;
  // The URL parser has normalised every IPv4 form to a dotted quad and refused bad ones; an
  // IPv6 host is always bracketed.
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.startsWith("[");
}
