// The `next` parameter of the sign-in page: only a path on this site, never another origin
// ("//evil.example", "/\\evil.example", "https://…" are all refused). Shared by the sign-in page
// (server) and its form (client), so no server-only import.

const BASE = "http://pgpulse.invalid";
const MAX_LENGTH = 2048;

export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > MAX_LENGTH) return "/";
  // Browsers treat "\" like "/" and drop tabs/newlines, so "/\evil" or "/\t/evil" would leave.
  if (!next.startsWith("/") || next.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  let url: URL;
  try {
    // The WHATWG parser resolves the path exactly as the browser will when it follows the
    // redirect: "." and ".." segments, including their %2e spellings, are removed here.
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  // Resolving can leave an empty first segment ("/.//evil", "/x/..//evil", "/%2e%2e//evil" all
  // become "//evil"), which a browser reads as a host. Collapsing runs of slashes makes the
  // result a plain path no second reading can turn into another origin, and a fixpoint: nothing
  // left in it is a dot segment or an empty one.
  const pathname = url.pathname.replace(/\/{2,}/g, "/");
  if (/^\/login\/?$/.test(pathname) || pathname.startsWith("/api/")) return "/";
  const result = `${pathname}${url.search}${url.hash}`;
  // Percent-encoding can lengthen the input; refuse rather than return what we would refuse.
  return result.length > MAX_LENGTH ? "/" : result;
}
