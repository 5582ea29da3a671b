import { describe, expect, it } from "vitest";
import { isLoopbackAddress, matchesAny, parseAddress, parseRange } from "./cidr";

describe("address and CIDR matching", () => {
  it.each([
    ["10.1.2.3", ["10.0.0.0/8"], true],
    ["11.1.2.3", ["10.0.0.0/8"], false],
    ["192.168.1.77", ["192.168.1.0/24"], true],
    ["192.168.2.1", ["192.168.1.0/24"], false],
    ["172.16.0.9", ["172.16.0.9"], true],
    ["172.16.0.10", ["172.16.0.9"], false],
    ["::ffff:10.0.0.1", ["10.0.0.0/8"], true],
    ["::ffff:10.0.0.1", ["::ffff:10.0.0.0/104"], true],
    ["::FFFF:0a00:0001", ["10.0.0.1"], true],
    ["10.0.0.1", ["::ffff:10.0.0.1"], true],
    ["fd00::1", ["fd00::/8"], true],
    ["fe80::1%eth0", ["fe80::/10"], true],
    ["2001:db8::1", ["fd00::/8"], false],
    ["2001:db8:0:0:0:0:0:1", ["2001:db8::1"], true],
    ["[::1]", ["::1"], true],
    ["1.2.3.4", ["0.0.0.0/0"], true],
    ["::2", ["::/0"], true],
    ["1.2.3.4", ["::/0"], false],
    ["not-an-ip", ["0.0.0.0/0"], false],
    ["", ["0.0.0.0/0"], false],
  ])("%s in %j → %s", (addr, list, expected) => {
    expect(matchesAny(addr, list)).toBe(expected);
  });

  it("rejects bad list entries", () => {
    for (const bad of ["10.0.0.0/33", "10.0.0.0/-1", "10.0.0/8", "fd00::/129", "x/8", "10.0.0.0/8/1", "10.0.0.0/ 8", "::ffff:10.0.0.0/8"]) {
      expect(() => parseRange(bad), bad).toThrow();
    }
  });

  it("normalises mapped IPv4", () => {
    expect(parseAddress("::ffff:127.0.0.1")).toEqual({ family: 4, value: 0x7f000001n });
  });

  it("knows loopback", () => {
    for (const a of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ["10.0.0.1", "::", "0.0.0.0", "::2", "128.0.0.1"]) expect(isLoopbackAddress(a), a).toBe(false);
  });
});
