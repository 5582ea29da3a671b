"use client";

import { useEffect, useState } from "react";

/** The current time, re-read every `everyMs` (never with null), for "N s ago" labels that keep counting. */
export function useNow(everyMs: number | null = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (everyMs === null) return;
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/**
 * The current time, re-read once just after `at` (epoch ms) passes: for a state that changes at
 * a known moment (fresh → stale) without re-rendering its component every second until then.
 */
export function useNowPast(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    // +1: strictly past the moment, where the state has changed. A moment already past re-reads
    // the clock at once: the value held may be older than the data just handed in.
    const id = setTimeout(() => setNow(Date.now()), Math.max(0, at - Date.now() + 1));
    return () => clearTimeout(id);
  }, [at]);
  return now;
}
