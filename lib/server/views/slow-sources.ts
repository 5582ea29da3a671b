import type { Capabilities } from "@/lib/collector/types";

// Which slow-statement sources this target cannot give, in words the empty state can show.
// Running statements come from pg_stat_activity and always work.
export function slowSourcesUnavailable(caps: Pick<Capabilities, "extensions" | "objects"> | null): Record<string, string> {
  if (!caps) return {};
  const out: Record<string, string> = {};
  if (!caps.extensions.pg_stat_statements) out.pg_stat_statements = "pg_stat_statements is not installed: run `setup` (it needs shared_preload_libraries)";
  if (!caps.objects.slow_query_log) out.slow_query_log = "the application's slow_query_log table does not exist on the target";
  return out;
}
