import "server-only";

// Answers to parameterised reads (a page of a list, a series, the alert list) shared by the
// viewers asking the same thing while it holds. Unlike the snapshot answers (one per target,
// answer-cache.ts) the keys come from the query string, so the store is bounded by the bytes of
// the answers it keeps: least recently used first out. Entries are serialized JSON, so a hit
// costs neither a build, a validation nor a serialization. Concurrent misses share the build
// in flight; a failed build is not kept.

type Version = readonly unknown[];

interface Entry {
  version: Version;
  body: Promise<string>;
  bytes: number;
}

const sameVersion = (a: Version, b: Version) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

export interface BoundedAnswers {
  /** The answer for `key` at `version`, built by `build()` when absent or of another version. */
  get(owner: object, key: string, version: Version, build: () => Promise<string>): Promise<string>;
  /** Builds and hits since start, for tests. */
  counts(): { builds: number; hits: number; bytes: number; entries: number };
}

export function boundedAnswers(maxBytes: number): BoundedAnswers {
  const byOwner = new WeakMap<object, { entries: Map<string, Entry>; bytes: number }>();
  const counts = { builds: 0, hits: 0, bytes: 0, entries: 0 };

  const drop = (space: { entries: Map<string, Entry>; bytes: number }, key: string, entry: Entry) => {
    if (space.entries.get(key) !== entry) return;
    space.entries.delete(key);
    space.bytes -= entry.bytes;
    counts.bytes -= entry.bytes;
    counts.entries--;
  };

  return {
    get(owner, key, version, build) {
      let space = byOwner.get(owner);
      if (!space) byOwner.set(owner, (space = { entries: new Map(), bytes: 0 }));
      const found = space.entries.get(key);
      if (found && sameVersion(found.version, version)) {
        // Map order is the recency order: a hit moves to the back.
        space.entries.delete(key);
        space.entries.set(key, found);
        counts.hits++;
        return found.body;
      }
      if (found) drop(space, key, found);
      counts.builds++;
      const entry: Entry = { version, body: build(), bytes: 0 };
      space.entries.set(key, entry);
      counts.entries++;
      const s = space;
      entry.body.then(
        (body) => {
          if (s.entries.get(key) !== entry) return;
          entry.bytes = body.length;
          s.bytes += body.length;
          counts.bytes += body.length;
          for (const [k, e] of s.entries) {
            if (s.bytes <= maxBytes) break;
            drop(s, k, e);
          }
        },
        () => drop(s, key, entry),
      );
      return entry.body;
    },
    counts: () => ({ ...counts }),
  };
}
