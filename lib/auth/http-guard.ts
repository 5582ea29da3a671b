import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isApiPath, METHODS } from "./policy";
import { API_HEADERS, STATIC_HEADERS } from "./security-headers";

// What must happen to a request before Next sees it; peer.ts calls this from Node's
// `http.server.request.start` channel, synchronously, ahead of Next's request listener.
//
// 1. Security headers on every answer. next.config.js headers() cover routed answers only; an
//    answer Next gives before routing (a path it cannot decode, a method it cannot handle) had
//    none. Headers set here stay unless a later layer sets the same name.
// 2. Methods outside METHODS. Next builds a fetch Request for the proxy, and undici refuses to
//    build one for TRACE (and TRACK, CONNECT): Next answered 500. The request goes on as OPTIONS,
//    which every layer handles without side effects, with the real method in our own header;
//    proxy.ts answers it 405. A client-sent header of that name is always removed.

export const REFUSED_METHOD_HEADER = "x-pgpulse-refused-method";

const SERVED = new Set<string>(METHODS);

export function guardRequest(request: IncomingMessage, response: ServerResponse): void {
  for (const [name, value] of Object.entries(STATIC_HEADERS)) response.setHeader(name, value);
  if (isApiPath((request.url ?? "").split("?")[0])) {
    for (const [name, value] of Object.entries(API_HEADERS)) response.setHeader(name, value);
  }
  delete request.headers[REFUSED_METHOD_HEADER];
  const method = request.method ?? "";
  if (!SERVED.has(method)) {
    request.headers[REFUSED_METHOD_HEADER] = method;
    request.method = "OPTIONS";
  }
}
