// Why a connection to a target failed, in our own fixed words. The driver's messages name
// hosts, ports, roles and databases ('password authentication failed for user "app"',
// "getaddrinfo ENOTFOUND db.internal"); those go to the server log, and only these sentences go
// into API answers, alert summaries and notifications. No server-only import: pure, unit-tested.

export type ConnectionFailureKind =
  | "refused"
  | "dns"
  | "timeout"
  | "unreachable"
  | "authentication"
  | "no_database"
  | "too_many_connections"
  | "not_accepting"
  | "closed"
  | "tls"
  | "other";

export const CONNECTION_FAILURE_MESSAGES: Record<ConnectionFailureKind, string> = {
  refused: "connection refused: is the server running and listening on that address and port?",
  dns: "the host name could not be resolved",
  timeout: "the connection timed out",
  unreachable: "the host or network is unreachable",
  authentication: "authentication failed: check the user name, the password and pg_hba.conf",
  no_database: "the database does not exist",
  too_many_connections: "the server refused more connections: a connection limit is reached",
  not_accepting: "the server is starting up, shutting down or in recovery",
  closed: "the connection was closed by the server or the network",
  tls: "the TLS negotiation failed",
  other: "the connection failed; the pgpulse server log has the details",
};

// SQLSTATE and Node errno codes first: they are exact. Messages are the fallback for errors that
// only kept their text (the collector's `up` rows).
const BY_CODE: Record<string, ConnectionFailureKind> = {
  ECONNREFUSED: "refused",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  ETIMEDOUT: "timeout",
  EHOSTUNREACH: "unreachable",
  ENETUNREACH: "unreachable",
  ECONNRESET: "closed",
  EPIPE: "closed",
  "28P01": "authentication",
  "28000": "authentication",
  "3D000": "no_database",
  "53300": "too_many_connections",
  "57P03": "not_accepting",
  "57P01": "closed",
  "08006": "closed",
};

const BY_MESSAGE: ReadonlyArray<[RegExp, ConnectionFailureKind]> = [
  [/ECONNREFUSED/, "refused"],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo/, "dns"],
  [/ETIMEDOUT|timeout|timed out|did not finish within/i, "timeout"],
  [/EHOSTUNREACH|ENETUNREACH/, "unreachable"],
  [/authentication failed|pg_hba\.conf|SASL|role "[^"]*" does not exist/i, "authentication"],
  [/database "[^"]*" does not exist/i, "no_database"],
  [/too many (clients|connections)|connection slots are reserved/i, "too_many_connections"],
  [/starting up|shutting down|in recovery mode|not yet accepting connections/i, "not_accepting"],
  [/SSL|TLS|certificate/, "tls"],
  [/Connection terminated|ECONNRESET|EPIPE|terminating connection|closed the connection/i, "closed"],
];

const FIXED = new Set(Object.values(CONNECTION_FAILURE_MESSAGES));

export function connectionFailureKind(e: { code?: string; message: string }): ConnectionFailureKind {
  if (e.code && BY_CODE[e.code]) return BY_CODE[e.code];
  for (const [re, kind] of BY_MESSAGE) if (re.test(e.message)) return kind;
  return "other";
}

/** The fixed sentence for a failure; a sentence from this list maps to itself (stored summaries). */
export function describeConnectionFailure(e: { code?: string; message: string }): string {
  if (FIXED.has(e.message)) return e.message;
  return CONNECTION_FAILURE_MESSAGES[connectionFailureKind(e)];
}
