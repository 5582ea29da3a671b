// Shared demo constants (no server-only: the UI may show the demo threshold).

/**
 * The demo's table-size threshold, in place of the guidelines' 10 GB: planetary_positions
 * (≈ 3M rows: ≈ 196 MB heap, ≈ 317 MB with indexes) is above it from the first sample, whether
 * heap or total size is compared; the partner import's staging table crosses it during each
 * import and falls back to nothing when archived; every other demo table stays below
 * (birth_charts ≈ 62 MB over all partitions, query_cache ≈ 50–90 MB).
 */
export const DEMO_TABLE_SIZE_BYTES = 128 * 1024 * 1024;

export const DEMO_DATABASE = "kundli_db";
export const DEMO_STORE_DATABASE = "pgpulse";
export const DEMO_MONITOR_ROLE = "pgpulse_monitor";
export const DEMO_PG_PORT = 54329;
export const DEMO_APP_PORT = 3000;

/** The demo's second server (reporting ETL): its port is the first one's + 1. */
export const DEMO_REPORTS_DATABASE = "kundli_reports";
export const DEMO_TARGET_ID = "kundli";
export const DEMO_REPORTS_TARGET_ID = "reports";

/**
 * The demo's xid_wraparound line for kundli_reports, in place of 1.5 billion: a thousandth, so
 * its ETL (2 M transactions, 9–17 s measured) can cross it without running for hours. The settings
 * page shows it as that target's override.
 */
export const DEMO_XID_AGE_THRESHOLD = 1_500_000;
export const DEMO_ETL_XIDS = 2_000_000;

/** The standby of kundli_db's server: its port is the first one's + 2. */
export const DEMO_STANDBY_TARGET_ID = "standby";
export const DEMO_STANDBY_NAME = "kundli_db standby";

/**
 * The demo's lines for the operations rules whose real ones are measured in hours or gigabytes,
 * on kundli_db only (target overrides, shown on the settings page): an inactive slot retaining
 * over 64 MB (instead of 5 GB: archive_timeout writes 16 MB a minute, so it is crossed in
 * minutes), a backup older than 8 minutes (instead of 26 h: the demo's backup job runs every 5
 * minutes, a "night"), and dead rows piling up with no vacuum for 10 minutes (instead of 1 h).
 */
export const DEMO_SLOT_RETAINED_BYTES = 64 * 1024 * 1024;
export const DEMO_BACKUP_STALE_SECONDS = 8 * 60;
export const DEMO_VACUUM_WINDOW_SECONDS = 10 * 60;
/** archive_stale on kundli_db: nothing archived for 5 min (default 15), inside the 10-min archive outage. */
export const DEMO_ARCHIVE_STALE_SECONDS = 5 * 60;

/** kundli_db's server checkpoints on the server default: a timed checkpoint every 5 minutes. */
export const DEMO_CHECKPOINT_TIMEOUT_SECONDS = 300;
/**
 * checkpoints_requested on kundli_db judges the last 4 checkpoint_timeouts (20 min, instead of
 * an hour): long enough to hold the 3 timed checkpoints the rule needs once a burst of requested
 * ones has left it, short enough that the alert resolves inside the 30-minute cycle.
 */
export const DEMO_CHECKPOINT_WINDOW_TIMEOUTS = 4;

/** Every scenario of the demo's workload repeats on this cycle (README: "What the demo shows"). */
export const DEMO_CYCLE_MS = 30 * 60_000;
