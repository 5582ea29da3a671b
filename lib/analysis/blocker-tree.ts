import type { BlockerNode, Session } from "@/lib/api/activity";

// Who blocks whom, from pg_blocking_pids. Roots are sessions that block others and wait on
// nobody. Sessions caught in a cycle (a deadlock the server has not broken yet, or a stale mix
// of samples) have no such root: each cycle gets one entry point, its lowest pid, flagged
// inCycle. Each pid's children are expanded once; a later mention is marked `repeated`, so
// the tree stays bounded by the number of edges and no walk can loop.

type SessionLike = Pick<
  Session,
  "pid" | "user" | "application" | "state" | "waitEventType" | "waitEvent" | "query" | "durationMs" | "xactAgeMs" | "blockedBy"
>;

export function buildBlockerTree(sessions: readonly SessionLike[]): BlockerNode[] {
  const byPid = new Map<number, SessionLike>();
  for (const s of sessions) byPid.set(s.pid, s);

  // blocker pid → the pids it blocks (deduplicated, in ascending order for a stable tree).
  const blocks = new Map<number, number[]>();
  for (const s of sessions) {
    for (const b of new Set(s.blockedBy)) {
      if (b === s.pid) continue;
      const list = blocks.get(b) ?? [];
      list.push(s.pid);
      blocks.set(b, list);
    }
  }
  for (const list of blocks.values()) list.sort((a, b) => a - b);

  const isBlocked = (pid: number) => (byPid.get(pid)?.blockedBy.some((b) => b !== pid) ?? false);
  const cyclePids = findCyclePids(blocks);
  const expanded = new Set<number>();

  // Iterative depth-first walk: a chain as long as max_connections must not exhaust the stack.
  const build = (rootPid: number): BlockerNode => {
    const order: BlockerNode[] = [];
    const make = (pid: number, asRoot: boolean): BlockerNode => {
      const s = byPid.get(pid);
      const repeated = expanded.has(pid);
      expanded.add(pid);
      const node: BlockerNode = {
        pid,
        known: s !== undefined,
        user: s?.user ?? null,
        application: s?.application ?? null,
        state: s?.state ?? null,
        waitEventType: s?.waitEventType ?? null,
        waitEvent: s?.waitEvent ?? null,
        query: s?.query ?? null,
        durationMs: s?.durationMs ?? null,
        xactAgeMs: s?.xactAgeMs ?? null,
        // A blocked session's current query has been running, and so waiting, for durationMs.
        waitingMs: asRoot && !isBlocked(pid) ? null : (s?.durationMs ?? null),
        branchWaitingMs: null,
        blockedCount: 0,
        repeated,
        inCycle: cyclePids.has(pid),
        children: [],
      };
      order.push(node);
      return node;
    };
    const root = make(rootPid, true);
    const stack: BlockerNode[] = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.repeated) continue;
      for (const c of blocks.get(node.pid) ?? []) node.children.push(make(c, false));
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
    // Children were created after their parents: walking backwards fills branches bottom-up.
    for (let i = order.length - 1; i >= 0; i--) {
      const n = order[i];
      n.branchWaitingMs = maxOrNull(n.children.flatMap((c) => [c.waitingMs, c.branchWaitingMs]));
    }
    // Sessions under each node, each counted once. Only a subtree holding a `repeated` entry can
    // count a pid twice, so only those pay for a set; a plain chain stays linear.
    const size = new Map<BlockerNode, number>();
    const hasRepeat = new Map<BlockerNode, boolean>();
    for (let i = order.length - 1; i >= 0; i--) {
      const n = order[i];
      size.set(n, n.children.reduce((acc, c) => acc + 1 + size.get(c)!, 0));
      hasRepeat.set(n, n.children.some((c) => c.repeated || hasRepeat.get(c)));
      if (!hasRepeat.get(n)) {
        n.blockedCount = size.get(n)!;
        continue;
      }
      const seen = new Set<number>();
      const todo = [...n.children];
      while (todo.length > 0) {
        const c = todo.pop()!;
        seen.add(c.pid);
        todo.push(...c.children);
      }
      seen.delete(n.pid);
      n.blockedCount = seen.size;
    }
    return root;
  };

  const roots: BlockerNode[] = [];
  // Ordinary roots: block someone, wait on nobody (or are not visible to us at all).
  const rootPids = [...blocks.keys()].filter((pid) => !isBlocked(pid)).sort((a, b) => a - b);
  for (const pid of rootPids) roots.push(build(pid));
  // Whatever is still unvisited hangs off a cycle: enter each cycle once, at its lowest pid.
  for (const pid of [...cyclePids].sort((a, b) => a - b)) {
    if (!expanded.has(pid)) roots.push(build(pid));
  }
  // The worst pile-up first: the DBA looks at the top of the list.
  return roots.sort((a, b) => b.blockedCount - a.blockedCount || (b.branchWaitingMs ?? -1) - (a.branchWaitingMs ?? -1) || a.pid - b.pid);
}

function maxOrNull(values: Array<number | null>): number | null {
  let m: number | null = null;
  for (const v of values) if (v !== null && (m === null || v > m)) m = v;
  return m;
}

/** Pids on a directed cycle of the blocks graph (iterative Tarjan: no recursion depth limit). */
function findCyclePids(blocks: Map<number, number[]>): Set<number> {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const out = new Set<number>();
  let next = 0;
  const nodes = new Set<number>([...blocks.keys(), ...[...blocks.values()].flat()]);
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: Array<{ v: number; i: number }> = [{ v: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = blocks.get(frame.v) ?? [];
      if (frame.i < edges.length) {
        const w = edges[frame.i++];
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.v)!));
      }
      if (low.get(frame.v) === index.get(frame.v)) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.v);
        if (component.length > 1) for (const p of component) out.add(p);
      }
    }
  }
  return out;
}
