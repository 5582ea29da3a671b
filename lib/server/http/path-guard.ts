// Path segments are names and numbers: they must decode as UTF-8 and hold no control
// characters. Checked in proxy.ts for every request, because Next decodes route parameters
// before any handler runs and answered 500 for "%FF"; and a NUL that reached PostgreSQL as
// text failed the query. No server-only import: pure, unit-tested.

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why the path is refused (a message naming the segment), or null when every segment is fine. */
export function badPathSegment(pathname: string): string | null {
  for (const raw of pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return `invalid path: segment "${raw.slice(0, 64)}" is not valid percent-encoded UTF-8`;
    }
    if (CONTROL.test(decoded)) return `invalid path: segment "${raw.slice(0, 64)}" contains a control character`;
  }
  return null;
}
