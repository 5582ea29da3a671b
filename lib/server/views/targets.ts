import type { TargetSummary } from "@/lib/api/targets";
import type { TargetSnapshot } from "@/lib/collector/types";
import type { TargetConfig } from "@/lib/config/schema";
import { DomainError } from "@/lib/errors";

/**
 * What the browser may know of a target: host, port and database, never credentials; its role
 * when the collector's snapshot is given (a failover changes it, the configuration does not).
 */
export function summarizeTarget(t: TargetConfig, snapshot?: TargetSnapshot): TargetSummary {
  const u = new URL(t.url);
  return {
    id: t.id,
    name: t.name,
    host: u.hostname || "localhost",
    port: u.port ? Number(u.port) : null,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres",
    role: snapshot?.capabilities?.role ?? null,
  };
}

/** The configured target with this id; a 404 naming it (cut short) otherwise. */
export function targetOr404(rt: { target(id: string): TargetConfig | undefined }, id: string): TargetConfig {
  const t = rt.target(id);
  if (!t) throw new DomainError(404, `target "${id.slice(0, 64)}" not found`);
  return t;
}
