import type { Capabilities } from "@/lib/collector/types";

// What the monitoring role's privileges cost the user, in words the overview can show. pgpulse
// should never need more than pg_monitor; running as a superuser works but is a needless risk.

export function privilegeWarnings(caps: Capabilities | null): string[] {
  if (!caps) return [];
  const out: string[] = [];
  if (caps.isSuperuser) {
    out.push(`connected as superuser ${caps.user}: use a least-privilege role with pg_monitor (npm run setup prints the SQL)`);
    return out;
  }
  const has = (role: string) => caps.roles.includes(role);
  if (!has("pg_monitor") && !has("pg_read_all_stats")) {
    out.push(`${caps.user} lacks pg_monitor: other users' query text and wait events are hidden (GRANT pg_monitor TO ${caps.user})`);
  }
  if (!has("pg_monitor") && !has("pg_stat_scan_tables")) {
    out.push(`${caps.user} lacks pg_monitor: exact index bloat (pgstatindex) is unavailable`);
  }
  if (!caps.objects.pgpulse_column_stats) {
    out.push("pgpulse.column_stats() is not installed: the bloat estimate covers only tables the role can read (run setup)");
  }
  return out;
}
