import { DomainError } from "@/lib/errors";

// Request bodies are read with a hard limit. A declared Content-Length over it is refused
// before reading; a chunked body (no Content-Length) is read as a stream and abandoned as soon
// as it passes the limit, so a client cannot make us buffer megabytes to learn it was too big.
// No server-only import: pure, unit-tested with a counting stream.

/** The body as text (UTF-8; invalid sequences become U+FFFD). Throws a DomainError 413 past `limit` bytes. */
export async function readBodyText(req: Request, limit: number): Promise<string> {
  const tooLarge = () => new DomainError(413, `body larger than ${limit} bytes`);
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop pulling: the rest of the body is never read into memory.
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
