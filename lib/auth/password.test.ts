import { describe, expect, it } from "vitest";
import { hashPassword, parseHash, verifyCredentials, verifyPassword } from "./password";

// Smaller parameters where the test is about encoding, not cost, to keep the suite fast.
const FAST = { N: 1024, r: 8, p: 1 };

describe("password hashing", () => {
  it("encodes scrypt$N$r$p$salt$hash with the default cost", async () => {
    const h = await hashPassword("correct horse battery");
    const [alg, N, r, p, salt, key] = h.split("$");
    expect([alg, N, r, p]).toEqual(["scrypt", "32768", "8", "1"]);
    expect(Buffer.from(salt, "base64url")).toHaveLength(16);
    expect(Buffer.from(key, "base64url")).toHaveLength(32);
    expect(await verifyPassword("correct horse battery", h)).toBe(true);
  });

  it("accepts the right password and refuses a wrong one", async () => {
    const h = await hashPassword("s3cret-pw", FAST);
    expect(await verifyPassword("s3cret-pw", h)).toBe(true);
    expect(await verifyPassword("s3cret-pX", h)).toBe(false);
    expect(await verifyPassword("", h)).toBe(false);
  });

  it("salts: the same password hashes differently", async () => {
    expect(await hashPassword("same", FAST)).not.toBe(await hashPassword("same", FAST));
  });

  it("refuses tampered encodings without throwing", async () => {
    const h = await hashPassword("pw", FAST);
    const parts = h.split("$");
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    const tampered = [
      ["bcrypt", ...parts.slice(1)].join("$"),
      [parts[0], "1000", ...parts.slice(2)].join("$"), // N not a power of two
      [parts[0], String(2 ** 30), ...parts.slice(2)].join("$"), // memory bound
      [...parts.slice(0, 4), parts[4], flip(parts[5])].join("$"),
      [...parts.slice(0, 4), flip(parts[4]), parts[5]].join("$"),
      [...parts.slice(0, 5), "not base64!"].join("$"),
      parts.slice(0, 5).join("$"),
      "",
    ];
    for (const t of tampered) expect(await verifyPassword("pw", t), t).toBe(false);
    expect(parseHash(tampered[1])).toBeNull();
    expect(parseHash(tampered[2])).toBeNull();
    expect(parseHash(h)).toMatchObject({ N: 1024, r: 8, p: 1 });
  });

  it("verifyCredentials finds the user and spends similar time on an unknown one", async () => {
    const users = [{ name: "ana", role: "admin", passwordHash: await hashPassword("pw-ana") }];
    expect((await verifyCredentials(users, "ana", "pw-ana"))?.name).toBe("ana");
    expect(await verifyCredentials(users, "ana", "nope")).toBeNull();
    const t0 = performance.now();
    expect(await verifyCredentials(users, "bob", "pw-ana")).toBeNull();
    const unknown = performance.now() - t0;
    const t1 = performance.now();
    await verifyCredentials(users, "ana", "nope");
    const known = performance.now() - t1;
    // Both run one scrypt at N=2^15; an early return would be ~1000× faster.
    expect(unknown).toBeGreaterThan(known / 4);
  });
});
