import { UNKNOWN, formatExact } from "./number";

// Binary multiples with PostgreSQL's own labels (pg_size_pretty): 1 kB = 1024 bytes, so a
// figure here reads the same as the one a DBA gets in psql.
const UNITS = ["bytes", "kB", "MB", "GB", "TB", "PB"];

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return UNKNOWN;
  const sign = n < 0 ? "-" : "";
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${sign}${v} bytes`;
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${sign}${v.toFixed(digits).replace(/\.?0+$/, "")} ${UNITS[i]}`;
}

/** "10,737,418,240 bytes" for hover titles. */
export function formatBytesExact(n: number | null | undefined): string {
  return formatExact(n, "bytes");
}

/** Growth: "+1.2 GB/day", "−300 MB/day". */
export function formatBytesPerDay(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return UNKNOWN;
  return `${n >= 0 ? "+" : "−"}${formatBytes(Math.abs(n))}/day`;
}
