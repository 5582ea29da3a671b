import { describe, expect, it } from "vitest";
// @ts-expect-error next.config.js is plain JavaScript and the project does not type-check JS.
import nextConfig from "@/next.config.js";
import { readBodyText } from "./body";
import { DomainError } from "@/lib/errors";
import { MAX_BODY_BYTES, readJson } from "@/lib/server/http/parse";

const CHUNK = 16 * 1024;

/** A request whose body is produced on demand, counting what the reader pulled. */
function streamingRequest(totalBytes: number, headers: Record<string, string> = {}) {
  const pulled = { bytes: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= totalBytes) return controller.close();
      pulled.bytes += CHUNK;
      controller.enqueue(new Uint8Array(CHUNK).fill(0x61));
    },
  });
  const req = new Request("http://127.0.0.1/api/silences", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return { req, pulled };
}

async function status(p: Promise<unknown>): Promise<number | "ok"> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof DomainError) return e.status;
    throw e;
  }
}

describe("readBodyText", () => {
  it("stops pulling a chunked 5 MB body just past the limit and answers 413", async () => {
    const { req, pulled } = streamingRequest(5 * 1024 * 1024);
    expect(await status(readBodyText(req, MAX_BODY_BYTES))).toBe(413);
    // The limit, the chunk that crossed it, and at most one read ahead by the stream.
    expect(pulled.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * CHUNK);
  });

  it("is what readJson uses: a chunked body past 64 KiB is a 413 without reading the rest", async () => {
    const { req, pulled } = streamingRequest(5 * 1024 * 1024, { "content-type": "application/json" });
    expect(await status(readJson(req))).toBe(413);
    expect(pulled.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * CHUNK);
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const { req, pulled } = streamingRequest(5 * 1024 * 1024, { "content-length": String(5 * 1024 * 1024) });
    expect(await status(readBodyText(req, 8 * 1024))).toBe(413);
    expect(pulled.bytes).toBeLessThanOrEqual(CHUNK);
  });

  it("reads a body at the limit whole, and decodes UTF-8 split across chunks", async () => {
    const { req } = streamingRequest(MAX_BODY_BYTES);
    expect(await readBodyText(req, MAX_BODY_BYTES)).toHaveLength(MAX_BODY_BYTES);
    const bytes = new TextEncoder().encode("ज्योतिष");
    const split = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 2));
        c.enqueue(bytes.slice(2));
        c.close();
      },
    });
    const req2 = new Request("http://127.0.0.1/x", { method: "POST", body: split, duplex: "half" } as RequestInit);
    expect(await readBodyText(req2, 100)).toBe("ज्योतिष");
    expect(await readBodyText(new Request("http://127.0.0.1/x", { method: "POST" }), 100)).toBe("");
  });

  it("is not undercut by Next's own copy of the body for the proxy", () => {
    // Next hands the proxy a copy of every body and keeps at most this much of it; a longer
    // body is cut at a chunk boundary (≤ 64 KiB) and the rest discarded. Twice our limit means a
    // cut body is still longer than the limit, so the handler answers 413 instead of reading a
    // truncated body as a whole one.
    const cap = (nextConfig as { experimental?: { proxyClientMaxBodySize?: number } }).experimental?.proxyClientMaxBodySize;
    expect(cap).toBeGreaterThanOrEqual(2 * MAX_BODY_BYTES);
    expect(cap).toBeLessThan(1024 * 1024);
  });
});
