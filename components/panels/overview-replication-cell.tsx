"use client";

import Link from "next/link";
import { cx } from "@/components/ui/cx";
import { TONE_TEXT } from "@/components/ui/palette";
import type { OverviewTarget } from "@/lib/api/overview";
import { formatSeconds } from "@/lib/format/duration";
import { useRuleLine } from "./rule-line";

// A fleet row's replication cell: the worst replay lag and the newest backup's age, linking to
// the target's Replication & WAL page. Red past the replication_lag and backup_stale lines as
// configured for the target.

export function OverviewReplicationCell({ targetId, x }: { targetId: string; x: OverviewTarget | undefined }) {
  const lagLine = useRuleLine("replication_lag", targetId);
  const backupLine = useRuleLine("backup_stale", targetId);
  if (!x) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  const lag = x.replicationLagSeconds;
  const age = x.backup?.ageSeconds ?? null;
  const backupText = !x.backup ? "—" : x.backup.unavailable ? "n/a" : age === null ? "none" : `${formatSeconds(age)} old`;
  return (
    <Link href={`/targets/${encodeURIComponent(targetId)}/replication`} className="block text-xs hover:underline" data-testid={`overview-target-${targetId}-replication`}>
      <div className={cx("tabular", lag !== null && lagLine !== null && lag > lagLine && TONE_TEXT.bad)} title="worst replay lag">
        lag {formatSeconds(lag)}
      </div>
      <div className={cx("tabular", age !== null && backupLine !== null && age > backupLine && TONE_TEXT.bad)} title={x.backup?.unavailable ?? "newest successful backup in backup_log"}>
        backup {backupText}
      </div>
    </Link>
  );
}
