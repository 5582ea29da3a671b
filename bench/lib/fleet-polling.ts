// Who collected what, from the instances' sample lines: how long after a kill each orphaned
// target was collected again, and whether any target was polled by two instances at once.

export interface Sample {
  instance: string;
  targetId: string;
  metric: string;
  at: number;
}

export function percentile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Per orphaned target, ms from the kill to a survivor's first ok sample of it; missing: never collected again. */
export function takeoverTimes(samples: Sample[], victim: string, orphans: string[], killedAt: number): { ms: number[]; missing: string[] } {
  const first = new Map<string, number>();
  for (const s of samples) {
    if (s.instance === victim || s.at <= killedAt) continue;
    const prev = first.get(s.targetId);
    if (prev === undefined || s.at < prev) first.set(s.targetId, s.at);
  }
  const ms: number[] = [];
  const missing: string[] = [];
  for (const t of orphans) {
    const at = first.get(t);
    if (at === undefined) missing.push(t);
    else ms.push(at - killedAt);
  }
  return { ms, missing };
}

export interface Duplication {
  targets: number;
  /** Targets with samples from more than one instance in the window: 0 when each is polled once. */
  polledByTwo: number;
  /** Runs of the counted metric per target per cadence, mean over targets (≈ 1; two pollers make it 2). */
  meanPerCadence: number;
  /**
   * Runs of the counted metric less than half a cadence after the previous run of the same
   * target: one poller never does that (its jitter is ±10 %), two independent ones do.
   */
  closeRuns: number;
}

/** Over [from, to]: which instances sampled each target, and how the counted metric's runs were spaced. */
export function duplication(samples: Sample[], targets: string[], from: number, to: number, metric: string, cadenceMs: number): Duplication {
  const producers = new Map<string, Set<string>>();
  const runs = new Map<string, number[]>();
  for (const s of samples) {
    if (s.at < from || s.at > to) continue;
    producers.set(s.targetId, (producers.get(s.targetId) ?? new Set()).add(s.instance));
    if (s.metric === metric) runs.set(s.targetId, [...(runs.get(s.targetId) ?? []), s.at]);
  }
  const cadences = (to - from) / cadenceMs;
  let closeRuns = 0;
  for (const times of runs.values()) {
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) if (times[i] - times[i - 1] < cadenceMs / 2) closeRuns++;
  }
  const total = targets.reduce((sum, t) => sum + (runs.get(t)?.length ?? 0), 0);
  return {
    targets: targets.length,
    polledByTwo: targets.filter((t) => (producers.get(t)?.size ?? 0) > 1).length,
    meanPerCadence: total / Math.max(1, targets.length) / cadences,
    closeRuns,
  };
}
