// Next bundles instrumentation.ts (the collector, the alert engine, the read lane) apart from
// the route handlers, and each bundle has its own copy of every module it imports. State that
// must be one per process — a cache both bundles answer from, a change count one bundle writes
// and the other reads — lives on globalThis under a registered symbol instead of in a module.

/** The process's one `name` value, created by `create()` on first use. */
export function processWide<T>(name: string, create: () => T): T {
  const key = Symbol.for(`pgpulse.${name}`);
  const holder = globalThis as Record<symbol, unknown>;
  if (!(key in holder)) holder[key] = create();
  return holder[key] as T;
}
