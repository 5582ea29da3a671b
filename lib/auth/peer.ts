import "server-only";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { guardRequest } from "./http-guard";

// How the socket peer address reaches proxy.ts and route handlers.
//
// Next's server fills `x-forwarded-for` from the socket only when the client did not send one
// (`??=` in base-server), so that header is whatever the client says. Neither NextRequest nor a
// route handler's Request exposes the socket. So we tag every request at the HTTP layer: Node
// publishes `http.server.request.start` on a diagnostics channel, synchronously, before the
// server's request listener (Next) runs; the subscriber overwrites our own header with the real
// peer address. A client-sent header of the same name is always replaced, never trusted.

export const PEER_HEADER = "x-pgpulse-peer";
export const PEER_TLS_HEADER = "x-pgpulse-peer-tls";
const INSTALLED = Symbol.for("pgpulse.peerTagging");

const BOUND = Symbol.for("pgpulse.boundAddress");

interface RequestStart {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket & { encrypted?: boolean };
  server: Server;
}

/**
 * Idempotent. Call once per server process, before the first request (instrumentation.ts).
 * The same hook applies the HTTP-layer guards of http-guard.ts (headers, methods).
 */
export function installPeerTagging(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[INSTALLED]) return;
  g[INSTALLED] = true;
  subscribe("http.server.request.start", (message) => {
    const { request, response, socket, server } = message as RequestStart;
    guardRequest(request, response);
    request.headers[PEER_HEADER] = socket.remoteAddress ?? "";
    request.headers[PEER_TLS_HEADER] = socket.encrypted ? "1" : "0";
    const addr = server.address();
    if (addr && typeof addr === "object") g[BOUND] = addr.address;
  });
}

/** The address the HTTP server listens on, once a request has been seen ("::" = all). */
export function boundAddress(): string | null {
  const v = (globalThis as Record<symbol, unknown>)[BOUND];
  return typeof v === "string" ? v : null;
}

export function peerTaggingInstalled(): boolean {
  return Boolean((globalThis as Record<symbol, unknown>)[INSTALLED]);
}

export interface Peer {
  address: string;
  tls: boolean;
}

/**
 * The socket peer of this request, or null when tagging is not installed in this process (then
 * nothing about the peer can be believed, and callers fail closed).
 */
export function peerOf(headers: Headers): Peer | null {
  if (!peerTaggingInstalled()) return null;
  const address = headers.get(PEER_HEADER);
  if (!address) return null;
  return { address, tls: headers.get(PEER_TLS_HEADER) === "1" };
}
