// How a stored series is named in the Prometheus exposition, by Prometheus' own conventions
// (the ones `promtool check metrics` enforces): counters end in `_total` and nothing else
// does; base units, so milliseconds are exposed as seconds.

export interface ExposedName {
  name: string;
  /** Multiply the stored value by this. */
  scale: number;
}

export function exposedName(series: string, kind: "counter" | "gauge"): ExposedName {
  let base = `pgpulse_${series.replace(/[^a-zA-Z0-9_]/g, "_")}`;
  let scale = 1;
  if (base.endsWith("_ms")) {
    base = `${base.slice(0, -3)}_seconds`;
    scale = 1 / 1000;
  }
  // A gauge called "…_total" (all sessions, all connections) is a count, not a counter.
  if (kind === "gauge" && base.endsWith("_total")) base = base.slice(0, -"_total".length);
  return { name: kind === "counter" ? `${base}_total` : base, scale };
}
