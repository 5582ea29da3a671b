// Shared demo constants (no server-only: the UI may show the demo threshold).

/**
 * The demo's table-size threshold, in place of the guidelines' 10 GB: planetary_positions
 * (≈ 3M rows: ≈ 196 MB heap, ≈ 317 MB with indexes) is above it from the first sample, whether
 * heap or total size is compared; every other demo table stays below (birth_charts ≈ 62 MB over
 * all partitions, query_cache ≈ 50–90 MB).
 */
export const DEMO_TABLE_SIZE_BYTES = 128 * 1024 * 1024;

export const DEMO_DATABASE = "kundli_db";
export const DEMO_STORE_DATABASE = "pgpulse";
export const DEMO_MONITOR_ROLE = "pgpulse_monitor";
export const DEMO_PG_PORT = 54329;
export const DEMO_APP_PORT = 3000;
