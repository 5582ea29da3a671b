import type { TargetConfig } from "@/lib/config/schema";
import type { TargetSummary } from "@/lib/api/targets";

/** What the browser may know of a target: host, port and database, never credentials. */
export function summarizeTarget(t: TargetConfig): TargetSummary {
  const u = new URL(t.url);
  return {
    id: t.id,
    name: t.name,
    host: u.hostname || "localhost",
    port: u.port ? Number(u.port) : null,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres",
  };
}
