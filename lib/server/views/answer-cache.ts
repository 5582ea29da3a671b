import "server-only";
import { processWide } from "@/lib/process-wide";

// Snapshot routes (activity, tables, indexes, health) answer every viewer the same thing until
// the collector lands a new result. Building and validating a megabyte answer per request kept
// the process busy under 100 viewers, so each answer is built once per version of what it is
// made of, and concurrent requests share the build in flight. The version is a list of
// identities: the snapshot's MetricResult objects (a new run is a new object), times, flags.
// A new version replaces the entry; a failed build is not kept.

type Version = readonly unknown[];

interface Entry {
  version: Version;
  value: Promise<unknown>;
}

// One per process: the read lane and the route handlers answer from the same entries.
const byOwner = processWide("answerCache", () => new WeakMap<object, Map<string, Entry>>());
const counts = processWide("answerCacheCounts", () => ({ builds: 0, hits: 0 }));

const sameVersion = (a: Version, b: Version) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * `build()` once per (owner, key, version); `version` null means "not cacheable now" (e.g. the
 * answer falls back to the store), and builds every time. `owner` is the runtime, so a test's
 * runtime never sees another's answers.
 */
export function oncePerVersion<T>(owner: object, key: string, version: Version | null, build: () => Promise<T>): Promise<T> {
  counts.builds++;
  if (version === null) return build();
  let entries = byOwner.get(owner);
  if (!entries) byOwner.set(owner, (entries = new Map()));
  const found = entries.get(key);
  if (found && sameVersion(found.version, version)) {
    counts.builds--;
    counts.hits++;
    return found.value as Promise<T>;
  }
  const value = build();
  const entry = { version, value };
  entries.set(key, entry);
  value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  return value;
}

/** Builds and hits since start, for tests and the process's own figures. */
export const answerCacheCounts = () => ({ ...counts });

/** The text each JSON answer was made from, for the read lane (lib/server/http/read-lane.ts). */
const answerTexts = processWide("answerTexts", () => new WeakMap<Response, string>());

/** A JSON answer already serialized: sent as is. */
export function jsonAnswer(body: string, init?: ResponseInit): Response {
  const res = new Response(body, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  answerTexts.set(res, body);
  return res;
}

/**
 * The serialized text behind an answer made by jsonAnswer, so the read lane writes the shared
 * string to the socket instead of reading it back through the Response's stream (a copy and a
 * stream per request).
 */
export const jsonAnswerText = (res: Response): string | undefined => (res.bodyUsed ? undefined : answerTexts.get(res));
