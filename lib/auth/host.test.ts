import { describe, expect, it } from "vitest";
import { hostAllowed, hostName } from "./host";

describe("hostName", () => {
  it.each([
    ["localhost:3000", "localhost"],
    ["Example.COM", "example.com"],
    ["localhost.", "localhost"],
    ["[::1]:3100", "[::1]"],
    ["0x7f.1", "127.0.0.1"],
    ["user@example.com", null],
    ["example.com/path", null],
    ["example.com?x", null],
    ["exa mple.com", null],
    [":3000", null],
  ])("%s → %s", (host, name) => {
    expect(hostName(host)).toBe(name);
  });
});

describe("hostAllowed", () => {
  it.each([
    ["localhost", true],
    ["localhost:3100", true],
    ["127.0.0.1:3100", true],
    ["[::1]:3100", true],
    // An address cannot be re-pointed by DNS, so it cannot be a rebound name.
    ["10.1.2.3:3000", true],
    ["[fe80::1]", true],
    ["pgpulse.example.com", true],
    ["PGPULSE.example.com:443", true],
    ["rebind.attacker.example:3100", false],
    ["localhost.attacker.example", false],
    ["127.0.0.1.nip.io", false],
    ["pgpulse.example.com.attacker.example", false],
    ["", false],
    ["localhost@attacker.example", false],
  ])("%s → %s", (host, allowed) => {
    expect(hostAllowed(host, "pgpulse.example.com")).toBe(allowed);
  });

  it("serves no other name without a publicUrl", () => {
    expect(hostAllowed("pgpulse.example.com", null)).toBe(false);
    expect(hostAllowed(null, null)).toBe(false);
  });
});
