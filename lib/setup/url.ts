// Connection strings are printed only with the password masked.

export function isPostgresUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "";
  } catch {
    return false;
  }
}

/** postgres://user:****@host:port/db — never the password, never query parameters. */
export function maskUrl(value: string): string {
  try {
    const u = new URL(value);
    const user = u.username ? `${decodeURIComponent(u.username)}${u.password ? ":****" : ""}@` : "";
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

export function databaseOf(value: string): string {
  const name = decodeURIComponent(new URL(value).pathname.replace(/^\//, ""));
  return name || "postgres";
}
