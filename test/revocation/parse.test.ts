/**
 * The revocation list parser on hostile input (fast-check, fixed seed): it returns a set or throws an
 * `Error`, nothing else, for any JSON value; well-formed lists read back exactly; and the
 * `revocation` configuration is bounded and strict.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnv, parseRevocationList } from "../../src/index.js";
import { isListed } from "../../src/revocation/parse.js";
import { limits } from "../../src/index.js";

const RUNS = { numRuns: 500, seed: 20260417 };
const id = fc.string({ minLength: 1, maxLength: 40 });
const entry = fc.oneof(
  fc.record({ iss: id, jti: id }),
  fc.record({ iss: id, sub: id, before: fc.integer({ min: 0, max: 4_000_000_000 }) }),
);

describe("parseRevocationList", () => {
  it("returns a set or throws an Error for any JSON value, never anything else", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ revoked: fc.array(fc.jsonValue(), { maxLength: 5 }) })), (v) => {
        try {
          expect(parseRevocationList(v)).toBeInstanceOf(Map);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message.length).toBeLessThan(200);
        }
      }),
      RUNS,
    );
  });

  it("reads every well-formed entry back: listed tokens match, a token of an unlisted issuer never does", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), id, (entries, stranger) => {
        const set = parseRevocationList(JSON.parse(JSON.stringify({ revoked: entries })));
        for (const e of entries) {
          if ("jti" in e) expect(isListed(set, { iss: e.iss, jti: e.jti })).toBe(true);
          else expect(isListed(set, { iss: e.iss, sub: e.sub, iat: e.before - 1 })).toBe(true);
          if (!entries.some((o) => o.iss === stranger)) {
            const { jti, sub } = e as { jti?: string; sub?: string };
            expect(isListed(set, { iss: stranger, jti, sub, iat: 0 })).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });

  it("drops a whole list for one bad entry, an extra member, too many entries or an overlong id", () => {
    const ok = { iss: "i", jti: "j" };
    for (const bad of [
      { revoked: [ok, { iss: "i", jti: "j", sub: "s", before: 1 }] },
      { revoked: [ok, { iss: "i", sub: "s", before: -1 }] },
      { revoked: [ok, { iss: "i", sub: "s", before: 1.5 }] },
      { revoked: [ok, { iss: "", jti: "j" }] },
      { revoked: [ok, { iss: "i", jti: "x".repeat(limits.MAX_REVOCATION_ID_CHARS + 1) }] },
      { revoked: [ok, JSON.parse('{"iss": "i", "jti": "j", "__proto__": {}}')] },
      { revoked: [ok], version: 2 },
      { revoked: Array.from({ length: limits.MAX_REVOCATION_ENTRIES + 1 }, () => ok) },
    ])
      expect(() => parseRevocationList(bad)).toThrow(Error);
  });
});

describe("JWT_CONFIG.revocation", () => {
  const read = (revocation: unknown) =>
    configFromEnv({ JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api", JWT_CONFIG: { revocation } }).revocation;

  it("defaults to a 60 s TTL and the closed fail mode", () => {
    expect(read({ url: "https://idp.example/revoked.json" })).toEqual({
      url: "https://idp.example/revoked.json",
      ttl: 60,
      failMode: "closed",
    });
    expect(read({ failMode: "open" })).toEqual({ ttl: 60, failMode: "open" });
  });

  it.each([
    [{ url: "http://idp.example/revoked.json" }, "JWT_CONFIG.revocation.url"],
    [{ ttl: 0 }, "JWT_CONFIG.revocation.ttl"],
    [{ ttl: 86_401 }, "JWT_CONFIG.revocation.ttl"],
    [{ failMode: "maybe" }, "JWT_CONFIG.revocation.failMode"],
    [{ url: "https://x.example/", cacheTtl: 5 }, "JWT_CONFIG.revocation"],
    ["https://x.example/", "JWT_CONFIG.revocation"],
  ])("refuses %j, naming %s", (value, variable) => {
    expect(() => read(value)).toThrow(ConfigError);
    try {
      read(value);
    } catch (e) {
      expect((e as ConfigError).variable).toBe(variable);
    }
  });
});
