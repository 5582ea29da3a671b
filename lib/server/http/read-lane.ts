import "server-only";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { gateRequest } from "@/lib/auth/gate";
import { HSTS_VALUE } from "@/lib/auth/security-headers";
import { errorResponse } from "@/lib/server/http/error-response";
import { jsonAnswerText } from "@/lib/server/views/answer-cache";
import { processWide } from "@/lib/process-wide";

// The hot reads — what every open page polls — answered straight from Node's HTTP server,
// ahead of Next's request pipeline. Measured with 100 viewers (bench/api.bench.ts): every
// answer was already a cache hit in our code, yet the process managed 680–860 answers/s
// because about a third of its CPU went to Next's own per-request work (routing, the proxy's
// fetch Request, response wrapping). A read here runs the same gate as proxy.ts
// (lib/auth/gate.ts) and then the very route handler Next would call (exported from app/api),
// so the answer, its checks and its headers are the route's own; only the path is shorter.
//
// Taken: GET of a listed route whose path is exactly its canonical form — static segments
// equal, each [param] a plain name of [A-Za-z0-9_-]. Everything else (HEAD, writes, encoded or
// odd paths, unlisted routes) goes to Next unchanged, which decodes, normalises and refuses as
// it always has.

export interface ReadRoute {
  /** The route as the app/ tree names it, e.g. "/api/targets/[id]/activity". */
  path: string;
  /** The route file's own GET; its params are the path's [names] (method syntax: any shape). */
  GET(req: Request, ctx: { params: Promise<Record<string, string>> }): Promise<Response>;
}

const PLAIN_SEGMENT = /^[A-Za-z0-9_-]{1,128}$/;
const PARAM = /^\[([a-z][A-Za-z0-9]*)\]$/;
/** Smaller answers are sent as they are: compressing them saves less than it costs. */
const GZIP_MIN_BYTES = 1024;
const gzipAsync = promisify(gzip);

interface Compiled {
  route: ReadRoute;
  segments: { literal?: string; param?: string }[];
}

function compile(route: ReadRoute): Compiled {
  const segments = route.path
    .split("/")
    .slice(1)
    .map((s) => {
      const m = PARAM.exec(s);
      return m ? { param: m[1] } : { literal: s };
    });
  return { route, segments };
}

/** The route and its parameters when `pathname` is one of `routes` in canonical form. */
export function matchReadRoute(routes: readonly Compiled[], pathname: string): { route: ReadRoute; params: Record<string, string> } | null {
  const parts = pathname.split("/");
  if (parts[0] !== "") return null;
  for (const c of routes) {
    if (c.segments.length !== parts.length - 1) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; ok && i < c.segments.length; i++) {
      const part = parts[i + 1];
      const seg = c.segments[i];
      if (seg.literal !== undefined) ok = part === seg.literal;
      else if (PLAIN_SEGMENT.test(part)) params[seg.param!] = part;
      else ok = false;
    }
    if (ok) return { route: c.route, params };
  }
  return null;
}

export function compileReadRoutes(routes: readonly ReadRoute[]): Compiled[] {
  return routes.map(compile);
}

/** Called once per answer the lane gives: route path and status, for /api/metrics. */
export type ReadLaneObserver = (route: string, status: number) => void;

/**
 * A request listener that answers `routes` itself and hands every other request to `next`.
 * The peer tag and the HTTP-layer guard (lib/auth/peer.ts) have already run: both happen on
 * Node's request-start channel, before any request listener.
 */
export function readLaneListener(routes: readonly ReadRoute[], next: RequestListener, observe?: ReadLaneObserver): RequestListener {
  const compiled = compileReadRoutes(routes);
  return (req, res) => {
    if (req.method !== "GET") return next(req, res);
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const pathname = q < 0 ? url : url.slice(0, q);
    const found = matchReadRoute(compiled, pathname);
    if (!found) return next(req, res);
    let headers: Headers;
    try {
      headers = toHeaders(req);
    } catch {
      return next(req, res); // a header value the fetch API's Headers refuses: Next answers it, as before
    }
    answer(req, res, pathname, url, headers, found.route, found.params).then(
      (status) => {
        try {
          observe?.(found.route.path, status);
        } catch {
          // A counter must never turn an answered request into an unhandled rejection.
        }
      },
      (e) => {
        // Unreachable in practice (route() turns every failure into an answer); never a hang.
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "internal error" }));
        console.error("read lane:", (e as Error)?.message ?? e);
      },
    );
  };
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

async function answer(req: IncomingMessage, res: ServerResponse, pathname: string, url: string, headers: Headers, route: ReadRoute, params: Record<string, string>): Promise<number> {
  let response: Response;
  const extra: Record<string, string> = {};
  try {
    const verdict = gateRequest({ method: "GET", pathname, headers });
    if (!verdict.pass) {
      response = Response.json(verdict.body, { status: verdict.status, headers: verdict.headers });
    } else {
      if (verdict.tls) extra["strict-transport-security"] = HSTS_VALUE;
      // The origin is never read (handlers take the path and query; hosts are checked from the
      // headers above), so a constant one keeps a hostile Host header out of URL parsing.
      response = await route.GET(new Request(`http://pgpulse.invalid${url}`, { headers }), { params: Promise.resolve(params) });
    }
  } catch (e) {
    response = errorResponse(e);
  }
  await send(req, res, response, extra);
  return response.status;
}

async function send(req: IncomingMessage, res: ServerResponse, response: Response, extra: Record<string, string>): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
  const text = jsonAnswerText(response);
  let body: Buffer | string = text ?? Buffer.from(await response.arrayBuffer());
  const bytes = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  if (bytes >= GZIP_MIN_BYTES) {
    res.setHeader("vary", "Accept-Encoding");
    if (acceptsGzip(req.headers["accept-encoding"])) {
      // On libuv's thread pool, not the event loop.
      body = await gzipAsync(body);
      res.setHeader("content-encoding", "gzip");
    }
  }
  res.setHeader("content-length", typeof body === "string" ? bytes : body.length);
  res.end(body);
}

/** "gzip" listed and not refused with q=0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(",")) {
    const [coding, ...params] = part.trim().split(";");
    if (coding.trim().toLowerCase() !== "gzip") continue;
    const q = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/**
 * Puts the lane in front of every HTTP server of this process when it sees its first request
 * (Node publishes the request-start message before the server's listeners run, so that first
 * request already goes through the lane). Idempotent.
 */
export function installReadLane(routes: readonly ReadRoute[], observe?: ReadLaneObserver): void {
  const state = processWide("readLane", () => ({ installed: false, servers: new WeakSet<Server>() }));
  if (state.installed) return;
  state.installed = true;
  subscribe("http.server.request.start", (message) => {
    const { server } = message as { server: Server };
    if (state.servers.has(server)) return;
    state.servers.add(server);
    const listeners = server.listeners("request") as RequestListener[];
    server.removeAllListeners("request");
    const nextListeners: RequestListener = (req, res) => {
      for (const l of listeners) l.call(server, req, res);
    };
    server.on("request", readLaneListener(routes, nextListeners, observe));
  });
}
