// Which targets an instance should take or give up on one lease tick: pure, so the balancing
// rule is tested without a store. Every instance applies the same rule to the same view of the
// lease table, so the fleet converges on an even split without talking to each other.

export interface LeaseView {
  targetId: string;
  holder: string;
  /** Unexpired by the store's clock. */
  live: boolean;
}

export interface PlanInput {
  self: string;
  /** The configured targets. */
  targets: readonly string[];
  /** Targets this instance holds now. */
  held: ReadonlySet<string>;
  leases: readonly LeaseView[];
  /** Live instances, this one included (at least 1). */
  instances: number;
  random?: () => number;
}

export interface Plan {
  /** Free targets to try, in order (another instance may win the race for any of them). */
  acquire: string[];
  /** A target to hand over (stop, then release), or null. */
  shed: string | null;
  fairShare: number;
}

export function planLeases(input: PlanInput): Plan {
  const random = input.random ?? Math.random;
  const fairShare = Math.ceil(input.targets.length / Math.max(1, input.instances));
  const byTarget = new Map(input.leases.map((l) => [l.targetId, l]));
  const free = input.targets.filter((t) => {
    if (input.held.has(t)) return false;
    const lease = byTarget.get(t);
    return !lease || !lease.live;
  });
  // A random order, so instances starting together do not all race for the same target first.
  const shuffled = free.map((t) => ({ t, k: random() })).sort((a, b) => a.k - b.k).map((x) => x.t);
  const acquire = shuffled.slice(0, Math.max(0, fairShare - input.held.size));
  // Give one target back only when nothing is free for the others to take instead: one per
  // tick, so a join moves targets one at a time and never empties an instance at once.
  const shed = free.length === 0 && input.held.size > fairShare ? [...input.held].sort().at(-1)! : null;
  return { acquire, shed, fairShare };
}
