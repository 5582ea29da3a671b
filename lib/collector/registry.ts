import "server-only";
import type { TargetSnapshot } from "./types";

// Latest snapshot per target, on globalThis: route handlers are bundled apart from the module
// that started the collector (instrumentation), so a module-level Map would not be shared.

const KEY = Symbol.for("pgpulse.collector.snapshots");

type Store = Map<string, TargetSnapshot>;
const g = globalThis as unknown as Record<symbol, Store | undefined>;

function store(): Store {
  return (g[KEY] ??= new Map());
}

export function publishSnapshot(snapshot: TargetSnapshot): void {
  store().set(snapshot.targetId, snapshot);
}

export function removeSnapshot(targetId: string): void {
  store().delete(targetId);
}

export function getSnapshot(targetId: string): TargetSnapshot | undefined {
  return store().get(targetId);
}

export function listSnapshots(): TargetSnapshot[] {
  return [...store().values()].sort((a, b) => a.targetId.localeCompare(b.targetId));
}
