"use client";

import { useEffect, useState } from "react";

type Charts = typeof import("./bundle");

let loaded: Charts | null = null;
let loading: Promise<Charts> | null = null;

/** The chart components once their chunk has loaded (null before): one request per page. */
export function useCharts(): Charts | null {
  const [charts, setCharts] = useState<Charts | null>(loaded);
  useEffect(() => {
    if (charts) return;
    let live = true;
    loading ??= import("./bundle").then((m) => (loaded = m));
    loading.then((m) => live && setCharts(m)).catch(() => {
      // A failed chunk load is retried on the next mount.
      loading = null;
    });
    return () => {
      live = false;
    };
  }, [charts]);
  return charts;
}
