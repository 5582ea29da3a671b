// The application_name of every session pgpulse opens: one list, so the activity view, the
// slow-statement lists and the cancel/terminate guard all hide or refuse the same sessions.

export const APPLICATION_NAMES = {
  /** The collector's monitoring sessions on a target. */
  monitor: "pgpulse",
  /** The history store's pool. */
  store: "pgpulse-store",
  /** Explicit actions on a target: EXPLAIN, cancel, terminate. */
  action: "pgpulse-action",
} as const;

export const OWN_APPLICATION_NAMES: readonly string[] = Object.values(APPLICATION_NAMES);

/** The list as an SQL literal for `NOT IN (…)`: constants only, never user input. */
export const OWN_APPLICATION_NAMES_SQL = OWN_APPLICATION_NAMES.map((n) => `'${n}'`).join(", ");
