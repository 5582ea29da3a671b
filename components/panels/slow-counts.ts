// The two counts of a slow-statement group, named and explained once for the list and the
// detail page: an observation is not an execution (one statistics window can hold many calls,
// and one execution can be seen both running and in a window).

export const SEEN_LABEL = "seen";
export const SEEN_TITLE =
  "Observations in the range: a slow_query_log row, a statement caught running, or a pg_stat_statements window (which may hold several calls)";

export const CALLS_LABEL = "calls";
export const CALLS_TITLE =
  "Executions counted by pg_stat_statements in the windows where this statement was recorded; — when no such window is in the range (the log and running captures do not count calls)";
