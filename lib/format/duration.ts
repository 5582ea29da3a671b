import { UNKNOWN, formatExact } from "./number";

// Durations read at a glance: the two largest units only ("3 min 4 s", "2 h 5 min"); below a
// second, milliseconds with useful precision ("850 ms", "1.2 ms").

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return UNKNOWN;
  if (ms < 0) return `−${formatDuration(-ms)}`;
  if (ms < 1) return `${ms.toFixed(2).replace(/\.?0+$/, "") || "0"} ms`;
  if (ms < 10) return `${ms.toFixed(1).replace(/\.0$/, "")} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2).replace(/\.?0+$/, "")} s`;
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s`;
  const parts: Array<[number, string]> = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "min"],
    [1000, "s"],
  ];
  let rest = Math.floor(ms);
  const out: string[] = [];
  for (const [size, label] of parts) {
    if (out.length === 2) break;
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || out.length > 0) out.push(`${n} ${label}`);
  }
  // "2 h 0 min" says nothing the shorter form does not.
  return out.filter((p, i) => i === 0 || !p.startsWith("0 ")).join(" ");
}

export function formatDurationExact(ms: number | null | undefined): string {
  return formatExact(ms === null || ms === undefined ? ms : Math.round(ms * 1000) / 1000, "ms");
}

export function formatSeconds(s: number | null | undefined): string {
  return formatDuration(s === null || s === undefined ? s : s * 1000);
}
