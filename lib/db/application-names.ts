// The application_name of every session pgpulse opens, so a DBA reading pg_stat_activity can
// tell them apart. A label only: any client may set these names, so nothing hides or protects
// a session by its name; pgpulse knows its own sessions by backend pid (./own-sessions.ts).

export const APPLICATION_NAMES = {
  /** The collector's monitoring sessions on a target. */
  monitor: "pgpulse",
  /** The history store's pool. */
  store: "pgpulse-store",
  /** Explicit actions on a target: EXPLAIN, cancel, terminate. */
  action: "pgpulse-action",
  /** Database discovery's list of a server's databases (lib/fleet/discovery.ts). */
  discovery: "pgpulse-discovery",
} as const;
