import { JS_BUDGET_BYTES, WEIGHED_PAGES, weighFirstVisit } from "./fixtures/page-weight";
import { expect, test } from "./fixtures/test";

// Every page's first view within the JavaScript budget (gzip bytes as transferred, cold cache):
// a dependency or an import that pulls a large library into a page fails here, naming the page
// and its largest scripts. Bytes, not time: the figure does not depend on the machine's load.

for (const p of WEIGHED_PAGES) {
  test(`${p.name} loads at most ${JS_BUDGET_BYTES / 1024} kB of JavaScript on a first visit`, async ({ browser, baseURL, targetId }) => {
    const { bytes, scripts } = await weighFirstVisit(browser, `${baseURL}${p.path(targetId)}`, p.ready);
    const largest = [...scripts]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 5)
      .map((s) => `${new URL(s.url).pathname} ${(s.bytes / 1024).toFixed(1)} kB`);
    expect(bytes, `${p.name}: ${(bytes / 1024).toFixed(1)} kB; largest: ${largest.join(", ")}`).toBeLessThanOrEqual(JS_BUDGET_BYTES);
    // Something was weighed: the page's own scripts, not an empty or failed load.
    expect(scripts.length).toBeGreaterThan(3);
  });
}
