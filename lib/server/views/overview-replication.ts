import { replayLagSeconds } from "@/lib/alerts/inputs/replication";
import type { OverviewTarget } from "@/lib/api/overview";
import type { TargetSnapshot } from "@/lib/collector/types";
import { unavailableReason } from "./availability";
import { backupRow, standbyRow, standbyStatusRow } from "./replication-rows";
import { parseRows } from "./rows";

type Figures = Pick<OverviewTarget, "replicationLagSeconds" | "backup">;

/**
 * A target's worst replication lag and newest backup's age for its fleet row, from the snapshot:
 * on a primary the slowest standby (as the replication_lag alert reads it), on a standby its own
 * replay delay. The backup's age is as of its sample (a minute's cadence on a day's scale).
 */
export function replicationFigures(s: TargetSnapshot | undefined): Figures {
  const rows = (metric: string) => {
    const r = s?.metrics[metric];
    return r?.status === "ok" ? r.rows : null;
  };
  let lag: number | null = null;
  if (s?.capabilities?.role === "standby") {
    lag = parseRows(rows("standby_status") ?? [], standbyStatusRow).rows[0]?.replay_delay_seconds ?? null;
  } else {
    for (const r of parseRows(rows("replication") ?? [], standbyRow).rows) {
      const l = replayLagSeconds(r.replay_lag_seconds, r.replay_bytes_behind);
      if (l !== null) lag = Math.max(lag ?? 0, l);
    }
  }
  const sampled = s?.metrics.backups;
  const backup = parseRows(rows("backups") ?? [], backupRow).rows[0];
  return {
    replicationLagSeconds: lag,
    backup: sampled ? { ageSeconds: backup?.last_ok_age_seconds ?? null, unavailable: unavailableReason(sampled, null, "backups") } : null,
  };
}
