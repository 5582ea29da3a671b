import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { MetricResult } from "@/lib/metrics/types";

// Shared by the alert integration tests: a controllable clock, real-shaped collector results and
// a local HTTP receiver on 127.0.0.1 (the store they run on: ./alert-store.ts).

export function clock(start = Date.UTC(2026, 0, 5, 9)) {
  let t = start;
  return { now: () => t, set: (ms: number) => (t = ms), advance: (s: number) => (t += s * 1000), at: (s: number) => start + s * 1000 };
}

export function ok(metric: string, targetId: string, ts: number, rows: Record<string, unknown>[]): MetricResult {
  return { status: "ok", metric, targetId, ts: new Date(ts), durationMs: 3, rows };
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  at: number;
}

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Decides each answer: status code and an optional delay before answering. */
  respond: (req: ReceivedRequest, n: number) => { status: number; delayMs?: number };
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const r: Receiver = { url: "", port: 0, requests: [], respond: () => ({ status: 200 }), close: async () => {} };
  const server: Server = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      const rec: ReceivedRequest = { headers: req.headers, body: data ? JSON.parse(data) : {}, at: Date.now() };
      r.requests.push(rec);
      const { status, delayMs } = r.respond(rec, r.requests.length);
      const timer = setTimeout(() => res.writeHead(status, { "content-type": "text/plain" }).end("ok"), delayMs ?? 0);
      res.on("close", () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  r.port = (server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${r.port}/hook`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}
