import type { Migration } from "./types";

// Per-object sizes rolled up from the row history: for each hour (hour_end − 1 h, hour_end], the
// sizes of its last table_stats set, all objects in one row (ids and bytes as parallel arrays).
// Closed at the end so that "the last set at or before an hour boundary" is always one row. The weekly page
// reads every table's size at each day's end of two weeks; a day's end in any time zone is an hour
// end, so hours (not UTC days) give the same figures in every zone. Read from these rows, the 15
// boundary sizes of 1,000 tables are 15 short rows instead of 15,000 snapshot_values rows.
// `ts` is the set the row was built from: a reader uses a row only when it is still that hour's
// last set (a set flushed late makes the rollup rebuild the hour; until then the reader falls back
// to snapshot_values). ~24 rows per target per day (≈ 0.3 MB at 1,000 tables), kept as long as the
// row history.
export const m011: Migration = {
  id: 11,
  name: "hourly per-object size rollup",
  sql: `
CREATE TABLE pgpulse.snapshot_sizes_1h (
  target_id text NOT NULL,
  metric text NOT NULL,
  hour_end timestamptz NOT NULL,
  ts timestamptz NOT NULL,
  object_ids int[] NOT NULL,
  bytes double precision[] NOT NULL,
  PRIMARY KEY (target_id, metric, hour_end)
);
`,
};
