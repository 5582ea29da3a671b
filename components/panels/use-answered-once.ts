"use client";

import { useState } from "react";

/**
 * True once every query has answered (with data or an error), and from then on: a later fetch
 * with a new key (another range) does not take it back.
 */
export function useAnsweredOnce(queries: ReadonlyArray<{ isPending: boolean }>): boolean {
  const answered = queries.every((q) => !q.isPending);
  const [seen, setSeen] = useState(answered);
  // Derived state latched during render (React's documented pattern), not in an effect: the
  // content it reveals shows in the same paint as the answer.
  if (answered && !seen) setSeen(true);
  return seen || answered;
}
