"use client";

import { useEffect, useState, useSyncExternalStore, type RefCallback } from "react";

type Charts = typeof import("./bundle");

// The chart chunk (recharts, ~130 kB gzip) is fetched once a chart's placeholder comes near the
// viewport, not with the page: a first view without a chart never pays for it. Once loaded,
// every chart on the page draws (the bytes are spent), whether or not it is in view.

/** How near the viewport a placeholder must come to start the load, so a scroll finds it drawn. */
const NEAR_VIEWPORT = "300px";

let loaded: Charts | null = null;
let loading: Promise<void> | null = null;
const waiting = new Set<() => void>();

/** Starts the chart chunk's load (once); resolves when it is in, or failed. */
export function loadCharts(): Promise<void> {
  loading ??= import("./bundle").then(
    (m) => {
      loaded = m;
      for (const notify of waiting) notify();
    },
    () => {
      // A failed chunk load is retried when a placeholder next comes into view.
      loading = null;
    },
  );
  return loading;
}

// A printout shows every chart, in view or not: printing starts the load (the print button on
// the trends page waits for it; a browser's own print dialog gets the charts from its second try).
if (typeof window !== "undefined") window.addEventListener("beforeprint", () => void loadCharts(), { once: true });

/** The chart components once their chunk has loaded (null before): one request per page. */
export function useCharts(): Charts | null {
  return useSyncExternalStore(subscribe, () => loaded, () => null);
}

function subscribe(notify: () => void) {
  waiting.add(notify);
  return () => void waiting.delete(notify);
}

/** For a chart's placeholder: a ref that starts the load when it nears the viewport, and the charts. */
export function useChartsInView<T extends Element>(): [RefCallback<T>, Charts | null] {
  const charts = useCharts();
  const [el, setEl] = useState<T | null>(null);
  useEffect(() => {
    if (charts || !el) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        io.disconnect();
        void loadCharts();
      },
      { rootMargin: NEAR_VIEWPORT },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [charts, el]);
  return [setEl, charts];
}
