// The `next` parameter of the sign-in page: only a path on this site, never another origin
// ("//evil.example", "/\\evil.example", "https://…" are all refused). Shared by the sign-in page
// (server) and its form (client), so no server-only import.

const BASE = "http://pgpulse.invalid";

export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 2048) return "/";
  // Browsers treat "\" like "/" and drop tabs/newlines, so "/\evil" or "/\t/evil" would leave.
  if (!next.startsWith("/") || next.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  if (url.pathname === "/login" || url.pathname.startsWith("/api/")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
