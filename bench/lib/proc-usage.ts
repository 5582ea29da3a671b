import { readFile } from "node:fs/promises";
import os from "node:os";

// CPU and resident memory of another process, read from /proc (Linux): the fleet bench's
// instances are child processes, so process.cpuUsage() cannot see them.

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat; 100 on Linux. */
const TICKS_PER_SECOND = 100;

export interface ProcUsage {
  /** user + system CPU time so far, ms. */
  cpuMs: number;
  rssBytes: number;
}

export async function procUsage(pid: number): Promise<ProcUsage | null> {
  try {
    const [stat, status] = await Promise.all([readFile(`/proc/${pid}/stat`, "utf8"), readFile(`/proc/${pid}/status`, "utf8")]);
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { cpuMs: (ticks * 1_000) / TICKS_PER_SECOND, rssBytes: rssKb * 1024 };
  } catch {
    return null; // the process is gone
  }
}

/** Samples a process every second: CPU over [start, stop] and the largest RSS seen. */
export function watchUsage(pid: number): { stop(): Promise<{ cpuPercent: number; rssMaxBytes: number }> } {
  let first: ProcUsage | null = null;
  let last: ProcUsage | null = null;
  let rssMax = 0;
  let firstAt = 0;
  let lastAt = 0;
  const take = async () => {
    const u = await procUsage(pid);
    if (!u) return;
    const now = Date.now();
    if (!first) {
      first = u;
      firstAt = now;
    }
    last = u;
    lastAt = now;
    rssMax = Math.max(rssMax, u.rssBytes);
  };
  void take();
  const timer = setInterval(() => void take(), 1_000);
  return {
    async stop() {
      clearInterval(timer);
      await take();
      const f = first as ProcUsage | null;
      const l = last as ProcUsage | null;
      const cpuPercent = f && l && lastAt > firstAt ? ((l.cpuMs - f.cpuMs) / (lastAt - firstAt)) * 100 : NaN;
      return { cpuPercent, rssMaxBytes: rssMax };
    },
  };
}

/** 1-, 5- and 15-minute load averages, for the record beside every figure. */
export function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(1)).join(" / ");
}
