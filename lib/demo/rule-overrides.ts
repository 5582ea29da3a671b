import {
  DEMO_ARCHIVE_STALE_SECONDS, DEMO_BACKUP_STALE_SECONDS, DEMO_CHECKPOINT_TIMEOUT_SECONDS, DEMO_CHECKPOINT_WINDOW_TIMEOUTS, DEMO_SLOT_RETAINED_BYTES,
  DEMO_VACUUM_WINDOW_SECONDS,
} from "./constants";

// The demo's per-target rule overrides, written once: `npm run demo` writes them into its config
// (the settings page shows them as overrides) and the demo-cycle test applies them scaled to its
// compressed clock.

/** How a compressed run maps the demo's lines (identity for the demo itself). */
export interface DemoScale {
  /** A duration line of the demo, in seconds, on this run's clock. */
  seconds(demoSeconds: number): number;
  /** A size line of the demo, in bytes, for this run's (smaller) seed. */
  bytes(demoBytes: number): number;
  /** The primary's checkpoint_timeout on this run (PostgreSQL allows no less than 30 s). */
  checkpointTimeoutSeconds: number;
}

const DEMO: DemoScale = { seconds: (s) => s, bytes: (b) => b, checkpointTimeoutSeconds: DEMO_CHECKPOINT_TIMEOUT_SECONDS };

/**
 * kundli_db's lines for the operations rules whose real ones are measured in hours or gigabytes
 * (lib/demo/constants.ts says why each value). checkpoints_requested's window follows
 * checkpoint_timeout rather than the clock: timed checkpoints cannot be made faster than it.
 */
export function kundliRuleOverrides(scale: DemoScale = DEMO) {
  return {
    replication_slot_inactive: { threshold: scale.bytes(DEMO_SLOT_RETAINED_BYTES) },
    backup_stale: { threshold: scale.seconds(DEMO_BACKUP_STALE_SECONDS) },
    vacuum_behind: { windowSeconds: scale.seconds(DEMO_VACUUM_WINDOW_SECONDS) },
    archive_stale: { threshold: scale.seconds(DEMO_ARCHIVE_STALE_SECONDS) },
    checkpoints_requested: { windowSeconds: DEMO_CHECKPOINT_WINDOW_TIMEOUTS * scale.checkpointTimeoutSeconds },
  };
}

/**
 * The standby's kundli_db is a copy of the primary's: its slow_query_log, sizes, bloat,
 * sequences and backup_log would raise the primary's alerts a second time, so on the standby's
 * target these rules are off.
 */
export function standbyRuleOverrides(): Record<string, { enabled: false }> {
  const replicated = ["slow_query", "table_size", "index_bloat", "sequence_exhaustion", "backup_stale"];
  return Object.fromEntries(replicated.map((id) => [id, { enabled: false as const }]));
}
