import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_CYCLE_MS } from "./constants";

// The demo's notification channel: a webhook receiver inside the demo process, so a newcomer
// sees the outbox deliver, retry and keep its idempotency key without configuring anything.
// For REFUSE_MS of every demo cycle it answers 503, so one delivery in each cycle is retried and
// the alert detail shows its attempts.

/** Starts a few minutes in, when the first alerts of a cycle fire; longer than the first retry. */
const REFUSE_FROM_MS = 4 * 60_000;
const REFUSE_MS = 90_000;

/** Whether `at` (ms since the receiver started) falls in the cycle's refusal window. */
export function refusing(sinceStartMs: number): boolean {
  const inCycle = sinceStartMs % DEMO_CYCLE_MS;
  return inCycle >= REFUSE_FROM_MS && inCycle < REFUSE_FROM_MS + REFUSE_MS;
}

export interface DemoWebhookReceiver {
  url: string;
  received: number;
  refused: number;
  close(): Promise<void>;
}

/** The fields of pgpulse's webhook body the log line names (lib/alerts/payload.ts). */
interface Message {
  state?: string;
  rule?: string;
  target?: { name?: string };
  severity?: string;
}

export async function startDemoWebhookReceiver(opts: { port: number; log: (line: string) => void; now?: () => number }): Promise<DemoWebhookReceiver> {
  const now = opts.now ?? Date.now;
  const started = now();
  const r: DemoWebhookReceiver = { url: "", received: 0, refused: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    req.on("end", () => {
      let m: Message = {};
      try {
        m = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Message;
      } catch {
        // Not JSON: still counted and answered; the log says what little is known.
      }
      const key = req.headers["idempotency-key"] ?? "-";
      const what = `${m.state ?? "?"} ${m.rule ?? "?"} on ${m.target?.name ?? "?"} (${m.severity ?? "?"}), key ${String(key)}`;
      if (req.method !== "POST") {
        res.writeHead(405).end();
      } else if (refusing(now() - started)) {
        r.refused++;
        opts.log(`webhook: refused ${what}: the demo's failure window, pgpulse retries it`);
        res.writeHead(503, { "retry-after": "30" }).end("demo failure window");
      } else {
        r.received++;
        opts.log(`webhook: received ${what}`);
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}
