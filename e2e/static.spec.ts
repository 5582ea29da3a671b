import { expect, test } from "./fixtures/test";

// What a browser fetches besides pages and the API: the icon, the favicon and the web manifest,
// served from public/ without a session and with the security headers; and the series API's
// default range, the last hour, as the pages ask for it.

const STATIC = [
  { path: "/favicon.ico", type: "image/x-icon" },
  { path: "/icon.svg", type: "image/svg+xml" },
  { path: "/manifest.webmanifest", type: "application/manifest+json" },
];

for (const file of STATIC) {
  test(`${file.path} is served from public/ with the security headers`, async ({ playwright, baseURL }) => {
    // A context without any cookie: these files are public on the sign-in server too.
    const anon = await playwright.request.newContext({ baseURL });
    const res = await anon.get(file.path);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain(file.type);
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    expect(res.headers()["x-frame-options"]).toBe("DENY");
    expect((await res.body()).length).toBeGreaterThan(0);
    await anon.dispose();
  });
}

test("the manifest names pgpulse and its icon; pages link both", async ({ page, request }) => {
  const manifest = (await (await request.get("/manifest.webmanifest")).json()) as { name: string; icons: Array<{ src: string }> };
  expect(manifest.name).toBe("pgpulse");
  expect(manifest.icons.map((i) => i.src)).toContain("/icon.svg");
  await page.goto("/");
  await expect(page.locator('link[rel="icon"][href^="/icon.svg"]')).toHaveCount(1);
  await expect(page.locator('link[rel="manifest"]')).toHaveCount(1);
});

test("series without from and to answers the last hour", async ({ request, targetId }) => {
  const before = Date.now();
  const res = await request.get(`/api/targets/${targetId}/series?metric=tps`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { points: Array<[string, number | null]> };
  // The answer's window: its points lie within the last hour (and a step of slack).
  for (const [ts] of body.points) {
    expect(Date.parse(ts)).toBeGreaterThanOrEqual(before - 3_600_000 - 60_000);
    expect(Date.parse(ts)).toBeLessThanOrEqual(Date.now() + 60_000);
  }
  // Empty buckets are null, not left out: the grid spans the whole default hour.
  expect(body.points.length).toBeGreaterThan(0);
  expect(Date.parse(body.points[0][0])).toBeLessThanOrEqual(before - 3_600_000 + 60_000);
});
