// Read in the browser to offer one input per value, so free of zod (unlike lib/api/explain.ts).

/** Placeholders in a normalized text ($1 … $n), to offer one input per value. */
export function placeholderCount(text: string): number {
  let max = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}
