import { describe, expect, it } from "vitest";
import { assertSafeBinding, resolveBindHost, UnsafeBindingError } from "./binding";

describe("the loopback rule", () => {
  it.each(["127.0.0.1", "::1", "[::1]", "localhost", "LOCALHOST", "127.0.0.2"])("auth off on %s is fine", (host) => {
    expect(() => assertSafeBinding({ host, authMode: "none" })).not.toThrow();
  });

  it.each(["0.0.0.0", "::", "10.0.0.5", "pgpulse.example.com", undefined, ""])("auth off on %s refuses", (host) => {
    expect(() => assertSafeBinding({ host, authMode: "none" })).toThrow(UnsafeBindingError);
    expect(() => assertSafeBinding({ host, authMode: "none" })).toThrow(/-H 127\.0\.0\.1[\s\S]*"mode": "builtin"/);
  });

  it("any host is fine with sign-in on", () => {
    expect(() => assertSafeBinding({ host: "0.0.0.0", authMode: "builtin" })).not.toThrow();
    expect(() => assertSafeBinding({ host: undefined, authMode: "proxy" })).not.toThrow();
  });

  it("reads the bind host the way next start does", () => {
    const base = ["/usr/bin/node", "/app/node_modules/.bin/next", "start"];
    expect(resolveBindHost([...base, "-p", "8080", "-H", "127.0.0.1"], undefined)).toEqual({ host: "127.0.0.1", certain: true });
    expect(resolveBindHost([...base, "--hostname", "::1"], undefined)).toEqual({ host: "::1", certain: true });
    expect(resolveBindHost([...base, "--hostname=0.0.0.0"], "127.0.0.1")).toEqual({ host: "0.0.0.0", certain: true });
    expect(resolveBindHost(base, "127.0.0.1")).toEqual({ host: "127.0.0.1", certain: true });
    expect(resolveBindHost(base, undefined)).toEqual({ host: undefined, certain: true });
    expect(resolveBindHost(["/usr/bin/node", "/app/node_modules/next/dist/server/lib/start-server.js"], undefined)).toEqual({ host: undefined, certain: false });
  });
});
