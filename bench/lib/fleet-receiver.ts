import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// The fleet scenario's webhook channel: counts what pgpulse delivers, per idempotency key. The
// first attempt of every key is refused (503), so each notification sits in the outbox as a
// retry for a few seconds: some of the killed instance's are in flight when it dies, and the
// takeover must neither lose nor repeat them.

export interface CountingReceiver {
  url: string;
  /** Requests per key, refused ones included. */
  attempts: Map<string, number>;
  /** Accepted (200) requests per key: exactly 1 each when nothing is doubled. */
  accepted: Map<string, number>;
  close(): Promise<void>;
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

export async function startCountingReceiver(port: number): Promise<CountingReceiver> {
  const attempts = new Map<string, number>();
  const accepted = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const key = String(req.headers["idempotency-key"] ?? "-");
      const first = !attempts.has(key);
      bump(attempts, key);
      if (first) return void res.writeHead(503).end("first attempt refused");
      bump(accepted, key);
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    attempts,
    accepted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
