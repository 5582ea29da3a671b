import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Episode, Scheduler } from "./scheduler";

// The demo's notification channel: a webhook receiver inside the demo process, so a newcomer
// sees the outbox deliver, retry and keep its idempotency key without configuring anything.
// While the workload's failure window is open it answers 503, so one delivery in each cycle is
// retried and the alert detail shows its attempts. The window is one of the workload's episodes
// (lib/demo/workload.ts): it follows the same clock as the conditions whose alerts it refuses,
// not the receiver's start, which comes a build earlier.

export interface DemoWebhookReceiver {
  url: string;
  received: number;
  refused: number;
  /** True while the failure window is open. */
  refusing: boolean;
  close(): Promise<void>;
}

/** The fields of pgpulse's webhook body the log line names (lib/alerts/payload.ts). */
interface Message {
  state?: string;
  rule?: string;
  target?: { name?: string };
  severity?: string;
}

export async function startDemoWebhookReceiver(opts: { port: number; log: (line: string) => void }): Promise<DemoWebhookReceiver> {
  const r: DemoWebhookReceiver = { url: "", received: 0, refused: 0, refusing: false, close: async () => {} };
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
      } else if (r.refusing) {
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

/** Opens the receiver's failure window on the workload's clock, `e.holdMs` at a time. */
export function scheduleRefusals(clock: Scheduler, e: Episode, receiver: Pick<DemoWebhookReceiver, "refusing">, log: (line: string) => void): void {
  clock.episodes("webhook failure window", e, true, async () => {
    receiver.refusing = true;
    log(`workload: the webhook receiver refuses deliveries for ${Math.round(e.holdMs / 1000)} s (pgpulse retries them)`);
    return async () => {
      receiver.refusing = false;
      log("workload: the webhook receiver accepts deliveries again");
    };
  });
}
