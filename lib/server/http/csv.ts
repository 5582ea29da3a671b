import "server-only";

// A CSV answer streamed in chunks: an export of every row never builds one megabyte string,
// and the event loop serves other requests between chunks.

const CHUNK_ROWS = 500;

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvAnswer<R>(filename: string, columns: readonly (keyof R & string)[], rows: readonly R[]): Response {
  let i = 0;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(columns.join(",") + "\r\n"));
    },
    pull(controller) {
      if (i >= rows.length) return controller.close();
      const chunk = rows.slice(i, i + CHUNK_ROWS).map((r) => columns.map((c) => cell(r[c])).join(",") + "\r\n");
      i += CHUNK_ROWS;
      controller.enqueue(encoder.encode(chunk.join("")));
    },
  });
  return new Response(stream, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"` } });
}
