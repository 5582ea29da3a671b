import { isIP } from "node:net";

// Address matching for the trusted-proxy list: exact addresses and CIDR ranges, IPv4 and IPv6.
// An IPv4-mapped IPv6 address (::ffff:10.0.0.1, what a dual-stack socket reports for an IPv4
// peer) is treated as the IPv4 address, so "10.0.0.0/8" matches it.

export interface ParsedAddress {
  family: 4 | 6;
  value: bigint;
}

/** Parses an address; strips brackets and a zone id ("fe80::1%eth0"). Null when not an IP. */
export function parseAddress(input: string): ParsedAddress | null {
  let s = input.trim();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  const kind = isIP(s);
  if (kind === 4) return { family: 4, value: ipv4ToBigint(s) };
  if (kind !== 6) return null;
  const v6 = ipv6ToBigint(s);
  // ::ffff:0:0/96 is the IPv4-mapped range.
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

function ipv4ToBigint(s: string): bigint {
  return s.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToBigint(s: string): bigint {
  let text = s;
  // A trailing dotted quad ("::ffff:1.2.3.4") becomes two hex groups.
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = ipv4ToBigint(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split("::");
  const headGroups = head ? head.split(":") : [];
  const restGroups = rest === undefined ? [] : rest ? rest.split(":") : [];
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array(missing).fill("0"), ...restGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export interface Range {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

/** "10.0.0.0/8", "fd00::/8", or a single address (a /32 or /128). Throws on a bad entry. */
export function parseRange(entry: string): Range {
  const [addr, bits, extra] = entry.trim().split("/");
  const parsed = addr === undefined || extra !== undefined ? null : parseAddress(addr);
  if (!parsed) throw new Error(`not an IP address or CIDR range: "${entry}"`);
  // The prefix counts bits of the address as written: 128 for any IPv6 form, mapped or not.
  const width = addr.includes(":") ? 128 : 32;
  const prefix = bits === undefined ? width : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width || (bits !== undefined && !/^\d+$/.test(bits))) {
    throw new Error(`bad prefix length in "${entry}"`);
  }
  // A mapped range such as ::ffff:10.0.0.0/104 was converted to IPv4 above: shift its prefix too.
  const mapped = parsed.family === 4 && width === 128;
  if (mapped && prefix < 96) throw new Error(`prefix of the IPv4-mapped range "${entry}" must be at least 96`);
  const effective = mapped ? prefix - 96 : prefix;
  return { family: parsed.family, base: mask(parsed.value, parsed.family, effective), prefix: effective };
}

function mask(value: bigint, family: 4 | 6, prefix: number): bigint {
  const width = family === 4 ? 32n : 128n;
  const hostBits = width - BigInt(prefix);
  return (value >> hostBits) << hostBits;
}

export function inRange(address: string, range: Range): boolean {
  const a = parseAddress(address);
  if (!a || a.family !== range.family) return false;
  return mask(a.value, a.family, range.prefix) === range.base;
}

/** True when `address` is inside any entry of `list`. Entries are validated when parsed. */
export function matchesAny(address: string, list: readonly string[]): boolean {
  return list.some((entry) => inRange(address, parseRange(entry)));
}

const LOOPBACK = [parseRange("127.0.0.0/8"), parseRange("::1/128")];

export function isLoopbackAddress(address: string): boolean {
  return LOOPBACK.some((r) => inRange(address, r));
}
