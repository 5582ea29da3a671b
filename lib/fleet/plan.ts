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
  /** Ids of the live instances, in the store's order (oldest first); this one is among them. */
  instances: readonly string[];
  random?: () => number;
}

export interface Plan {
  /** Free targets to try, in order (another instance may win the race for any of them). */
  acquire: string[];
  /** Targets to hand over together (stop, then release in one statement). */
  shed: string[];
  /** How many targets this instance aims to hold. */
  fairShare: number;
}

/**
 * Exact shares that add up to the target count: the first `targets mod instances` instances (in
 * the store's order, the same for everyone) aim for one more than the others.
 */
function shareOf(self: string, instances: readonly string[], targets: number): { share: number; floor: number; ceil: number } {
  const n = Math.max(1, instances.length);
  const floor = Math.floor(targets / n);
  const ceil = Math.ceil(targets / n);
  const rank = instances.indexOf(self);
  return { share: rank >= 0 && rank < targets % n ? floor + 1 : floor, floor, ceil };
}

export function planLeases(input: PlanInput): Plan {
  const random = input.random ?? Math.random;
  const { share, floor, ceil } = shareOf(input.self, input.instances, input.targets.length);
  const byTarget = new Map(input.leases.map((l) => [l.targetId, l]));
  const free = input.targets.filter((t) => {
    if (input.held.has(t)) return false;
    const lease = byTarget.get(t);
    return !lease || !lease.live;
  });
  // A random order, so instances starting together do not all race for the same targets first.
  const shuffled = free.map((t) => ({ t, k: random() })).sort((a, b) => a.k - b.k).map((x) => x.t);
  const acquire = shuffled.slice(0, Math.max(0, share - input.held.size));

  // Give back the excess, all at once, only when nothing is free for the others to take instead
  // and the split is uneven: this instance holds more than the largest fair share, or another
  // live instance holds fewer than the smallest. A split within one target is left alone, so a
  // converged fleet moves no lease.
  const holding = new Map(input.instances.map((id) => [id, 0]));
  for (const l of input.leases) if (l.live && holding.has(l.holder)) holding.set(l.holder, holding.get(l.holder)! + 1);
  const starved = [...holding].some(([id, n]) => id !== input.self && n < floor);
  const uneven = input.held.size > ceil || starved;
  const shed = free.length === 0 && input.held.size > share && uneven ? [...input.held].sort().slice(share) : [];
  return { acquire, shed, fairShare: share };
}
