import { JS_BUDGET_BYTES, WEIGHED_PAGES, weighFirstVisit } from "./fixtures/page-weight";
import { expect, test } from "./fixtures/test";

// Every page's first view under the JavaScript budget (gzip, as `next start` serves it), from a
// cold cache. A byte count, not a timing: the same build always ships the same bytes.

for (const p of WEIGHED_PAGES) {
  test(`${p.name}: first view under ${JS_BUDGET_BYTES / 1024} kB of JavaScript`, async ({ browser, targetId }) => {
    const { bytes, scripts } = await weighFirstVisit(browser, p.path(targetId), p.ready);
    const biggest = [...scripts].sort((a, b) => b.bytes - a.bytes).slice(0, 6).map((s) => `${(s.bytes / 1024).toFixed(1)} kB ${new URL(s.url).pathname}`);
    test.info().annotations.push({ type: "js-kB", description: `${p.name} ${(bytes / 1024).toFixed(1)}` });
    console.log(`${p.name}: ${(bytes / 1024).toFixed(1)} kB in ${scripts.length} scripts; biggest: ${biggest.join(", ")}`);
    expect(scripts.length, "scripts were measured").toBeGreaterThan(0);
    expect(bytes, `${p.name} JavaScript (bytes); biggest:\n${biggest.join("\n")}`).toBeLessThan(JS_BUDGET_BYTES);
  });
}
