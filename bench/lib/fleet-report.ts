import { percentile } from "./fleet-polling";
import type { ScenarioResult } from "./fleet-scenario";

// The multi-instance scenario's results as one markdown table, a column per instance count,
// every alert and notification count checked against the single-instance run of the scenario.

const s = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

/** Keys whose value differs from the reference: missing there or here, or other states. */
function differences(ref: Map<string, string>, run: Map<string, string>): { missing: number; extra: number } {
  const missing = [...ref].filter(([k, v]) => run.get(k) !== v).length;
  const extra = [...run].filter(([k, v]) => ref.get(k) !== v).length;
  return { missing, extra };
}

/**
 * The scenario's rule: its episodes follow the hot tables only, so every run must match the
 * single-instance one. Other rules (cache_hit_ratio on fresh databases, target_down pending
 * while a loaded server answers slowly) depend on the machine's load and are counted apart.
 */
const RULE = "table_size";
const ofRule = (key: string) => key.split("/")[1] === RULE;

function rows(r: ScenarioResult, single: ScenarioResult): Record<string, string> {
  const episodesOf = (x: ScenarioResult) => new Map([...x.episodes.episodes].filter(([k]) => ofRule(k)).map(([k, v]) => [k, v.join(">")]));
  const episodes = episodesOf(r);
  const refEpisodes = episodesOf(single);
  const epDiff = differences(refEpisodes, episodes);
  const perAbout = countBy(r.outbox.filter((o) => ofRule(o.about)), (o) => o.about);
  const refAbout = countBy(single.outbox.filter((o) => ofRule(o.about)), (o) => o.about);
  const noteDiff = differences(new Map([...refAbout].map(([k, n]) => [k, String(n)])), new Map([...perAbout].map(([k, n]) => [k, String(n)])));
  const keys = r.outbox.map((o) => o.idempotency_key);
  const acceptedTwice = keys.filter((k) => (r.accepted.get(k) ?? 0) > 1).length;
  const neverAccepted = keys.filter((k) => !r.accepted.has(k)).length;
  const strangers = [...r.accepted.keys()].filter((k) => !keys.includes(k)).length;
  const t = r.takeover;
  const inst = (f: (i: ScenarioResult["perInstance"][number]) => string) => r.perInstance.map(f).join(" · ");
  return {
    "time to an even split after a simultaneous start": r.balanceMs === null ? "not within 300 s" : s(r.balanceMs),
    "targets per instance before the kill": inst((i) => String(i.held)),
    "orphaned targets (held by the killed node-0)": t ? String(t.orphans) : "–",
    "takeover, kill → a survivor's first sample of each orphan: p50 / max": t && t.ms.length ? `${s(percentile(t.ms, 0.5))} / ${s(Math.max(...t.ms))}` : "–",
    "orphans never collected again": t ? String(t.missing.length) : "–",
    "targets sampled by two instances, steady window / after the takeover": `${r.steady.polledByTwo} / ${r.after.polledByTwo} of ${r.steady.targets}`,
    "db_stats runs per target per cadence, mean (steady / after)": `${r.steady.meanPerCadence.toFixed(2)} / ${r.after.meanPerCadence.toFixed(2)}`,
    "db_stats runs < ½ cadence after the previous one of their target (steady / after)": `${r.steady.closeRuns} / ${r.after.closeRuns}`,
    [`${RULE} episodes (target, object): total / with more than one`]: `${[...episodes.values()].length} keys, ${[...r.episodes.episodes].filter(([k]) => ofRule(k)).flatMap(([, v]) => v).length} episodes / ${[...r.episodes.episodes].filter(([k, v]) => ofRule(k) && v.length > 1).length}`,
    "all episodes by rule": [...countBy([...r.episodes.episodes].flatMap(([k, v]) => v.map(() => k.split("/")[1])), (x) => x)]
      .sort().map(([rule, n]) => `${rule} ${n}`).join(", "),
    "transitions written twice (all rules)": String(r.episodes.repeatedTransitions),
    [`${RULE} episodes unlike the single-instance run: missing / extra`]: `${epDiff.missing} / ${epDiff.extra}`,
    [`${RULE} notifications in the outbox / announcing the same transition twice`]: `${[...perAbout.values()].reduce((a, b) => a + b, 0)} / ${[...perAbout.values()].filter((n) => n > 1).length}`,
    [`${RULE} notifications unlike the single-instance run: missing / extra`]: `${noteDiff.missing} / ${noteDiff.extra}`,
    "receiver, every outbox key (all rules): accepted once / twice / never; unknown keys": `${keys.length - acceptedTwice - neverAccepted} / ${acceptedTwice} / ${neverAccepted}; ${strangers}`,
    "receiver: requests (first attempt of each key refused)": String([...r.attempts.values()].reduce((a, b) => a + b, 0)),
    "lease changes per instance over the run (acquired / shed / fenced / taken)": inst((i) =>
      ["acquired", "shed", "fenced", "taken"].map((c) => String(i.leaseChanges[c] ?? 0)).join(" / ")),
    "skipped runs per instance, steady window": inst((i) => String(i.steady.skipped)),
    "skipped runs per survivor, after the takeover": inst((i) => (i.after ? String(i.after.skipped) : "killed")),
    "CPU per instance (one core = 100 %), steady": inst((i) => `${i.steady.cpuPercent.toFixed(1)} %`),
    "CPU per survivor, after the takeover": inst((i) => (i.after ? `${i.after.cpuPercent.toFixed(1)} %` : "killed")),
    "RSS max per instance, steady · after": inst((i) => `${mib(i.steady.rssMaxBytes)} · ${i.after ? mib(i.after.rssMaxBytes) : "killed"}`),
  };
}

export function fleetTable(results: ScenarioResult[]): string[] {
  const single = results.find((r) => r.instances === 1) ?? results[0];
  const cols = results.map((r) => rows(r, single));
  const header = results.map((r) => `${r.instances} instance${r.instances > 1 ? "s" : ""}`);
  const lines = [`| | ${header.join(" | ")} |`, `|---|${header.map(() => "---:").join("|")}|`];
  for (const name of Object.keys(cols[0])) lines.push(`| ${name} | ${cols.map((c) => c[name]).join(" | ")} |`);
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.instances} instance(s): ${n}`));
  return [...lines, "", ...(notes.length ? ["Timeouts:", ...notes, ""] : [])];
}
